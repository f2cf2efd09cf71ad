package io.docstream.cli.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The anchor of the cached-search scenario: the JDK's own HTTP server, with a fixed pool of threads, answering
 * every request with the same bytes (a search answer captured from the query API), so the load generator
 * measures what serving those bytes over HTTP costs on this machine with nothing behind it.
 */
final class BareHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads;

    BareHttpServer(byte[] body, String contentType, int threadCount) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        threads = Executors.newFixedThreadPool(threadCount);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", contentType == null ? "application/json" : contentType);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** The URL to load, with the same path and query as the search it stands in for. */
    URI url(URI like) {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort()
                + like.getRawPath() + (like.getRawQuery() == null ? "" : "?" + like.getRawQuery()));
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
