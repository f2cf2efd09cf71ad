/**
 * Why a request cannot be served, in domain terms: domain code throws these, never HTTP types, and the web layer
 * ({@code io.docstream.platform.web.ProblemDetailsAdvice}) is the one place that turns them into problem details
 * with a status code and a stable type.
 */
package io.docstream.platform.errors;
