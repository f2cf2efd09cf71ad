package io.docstream.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Properties;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL TLS as README documents it: the services take it from the JDBC URL
 * ({@code ?sslmode=verify-full&sslrootcert=<CA file>}). Against a real PostgreSQL serving TLS with a certificate
 * from a test CA, that URL gives an encrypted session, and a server whose certificate another CA signed is refused
 * before any credentials are sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresTlsTests {

    @TempDir
    static Path directory;

    private EmbeddedPostgres postgres;
    private Path trustedCa;
    private Path otherCa;

    @BeforeAll
    void startPostgresWithTls() throws Exception {
        KeyPair caKeys = rsa();
        X509Certificate ca = certificate("CN=docstream test CA", caKeys, "CN=docstream test CA", caKeys, true);
        KeyPair serverKeys = rsa();
        X509Certificate server = certificate("CN=localhost", serverKeys, "CN=docstream test CA", caKeys, false);
        KeyPair otherKeys = rsa();
        trustedCa = pem(directory.resolve("root.crt"), ca);
        otherCa = pem(directory.resolve("other-root.crt"),
                certificate("CN=someone else", otherKeys, "CN=someone else", otherKeys, true));
        Path serverCertificate = pem(directory.resolve("server.crt"), server);
        Path serverKey = pem(directory.resolve("server.key"), serverKeys.getPrivate());
        Files.setPosixFilePermissions(serverKey, PosixFilePermissions.fromString("rw-------"));
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(directory.resolve("data"))
                .setRegisterShutdownHook(false)
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", serverCertificate.toString())
                .setServerConfig("ssl_key_file", serverKey.toString())
                .start();
    }

    @AfterAll
    void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theDocumentedUrlGivesAVerifiedEncryptedSession() throws SQLException {
        String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?sslmode=verify-full&sslrootcert="
                + trustedCa;
        try (Connection connection = DriverManager.getConnection(url, credentials());
                Statement statement = connection.createStatement();
                ResultSet ssl = statement.executeQuery(
                        "select ssl, version from pg_stat_ssl where pid = pg_backend_pid()")) {
            assertThat(ssl.next()).isTrue();
            assertThat(ssl.getBoolean("ssl")).isTrue();
            assertThat(ssl.getString("version")).startsWith("TLSv1.");
        }
    }

    @Test
    void aServerTheConfiguredCaDidNotSignIsRefused() {
        String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?sslmode=verify-full&sslrootcert="
                + otherCa;
        assertThatThrownBy(() -> DriverManager.getConnection(url, credentials()).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("SSL");
    }

    @Test
    void withoutTlsInTheUrlTheSessionIsPlain() throws SQLException {
        String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?sslmode=disable";
        try (Connection connection = DriverManager.getConnection(url, credentials());
                Statement statement = connection.createStatement();
                ResultSet ssl = statement.executeQuery("select ssl from pg_stat_ssl where pid = pg_backend_pid()")) {
            assertThat(ssl.next()).isTrue();
            assertThat(ssl.getBoolean("ssl")).as("the test above would pass vacuously if every session were TLS")
                    .isFalse();
        }
    }

    private static Properties credentials() {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        return properties;
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
            boolean authority) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name(subject), subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
        if (!authority) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
    }

    private static Path pem(Path file, Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return Files.writeString(file, text.toString());
    }
}
