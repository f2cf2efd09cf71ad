package io.docstream.platform.web;

import io.docstream.platform.errors.InvalidInputException;
import io.docstream.schemas.events.ConsistencyToken;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Where a read carries consistency tokens: the {@value #PARAMETER} query parameter (repeatable, comma-separated)
 * and the {@value #HEADER} header.
 */
public final class ConsistencyTokens {

    /** The request header that carries consistency tokens. */
    public static final String HEADER = "Consistent-With";
    /** The query parameter that carries consistency tokens. */
    public static final String PARAMETER = "consistentWith";

    private ConsistencyTokens() {
    }

    /** The request's tokens; a 400 problem when one is malformed or there are too many. */
    public static List<ConsistencyToken> of(HttpServletRequest request) {
        String[] parameters = request.getParameterValues(PARAMETER);
        Enumeration<String> headers = request.getHeaders(HEADER);
        if (parameters == null && (headers == null || !headers.hasMoreElements())) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        if (parameters != null) {
            Collections.addAll(values, parameters);
        }
        if (headers != null) {
            values.addAll(Collections.list(headers));
        }
        try {
            return ConsistencyToken.parseAll(values);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Parameter '" + PARAMETER + "' (or header " + HEADER + ") must list"
                    + " consistency tokens such as doc-1@42, at most " + ConsistencyToken.MAX_PER_REQUEST + ": "
                    + e.getMessage());
        }
    }
}
