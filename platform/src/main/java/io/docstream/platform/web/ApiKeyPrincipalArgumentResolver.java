package io.docstream.platform.web;

import io.docstream.platform.tenancy.ApiKeyPrincipal;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Hands controllers the caller the API key filter authenticated. */
final class ApiKeyPrincipalArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return ApiKeyPrincipal.class.equals(parameter.getParameterType());
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest request, WebDataBinderFactory binderFactory) {
        Object principal = request.getAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE,
                RequestAttributes.SCOPE_REQUEST);
        if (principal instanceof ApiKeyPrincipal apiKeyPrincipal) {
            return apiKeyPrincipal;
        }
        throw ProblemException.unauthorized("An API key is required: send 'Authorization: Bearer <key>'.", false);
    }
}
