package dev.tollgate.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Turns every error raised while handling a request into an RFC 9457 problem with a stable
 * {@code code}. Details never carry SQL, stack traces or class names: those go to the log.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception exception, WebRequest request) {
        if (DatabaseFailures.unavailable(exception)) {
            // The outage itself is logged once by the pool's fail-fast view, not once per refused call.
            log.debug("Database unavailable on {}: {}", request.getDescription(false),
                    DatabaseFailures.describe(exception));
            return ResponseEntity.status(PlatformProblem.DATABASE_UNAVAILABLE.status())
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(DatabaseFailures.RETRY_AFTER.toSeconds()))
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(DatabaseFailures.problem());
        }
        log.error("Unhandled error on {}", request.getDescription(false), exception);
        var body = Problems.detail(PlatformProblem.INTERNAL_ERROR, "An unexpected error occurred; it has been logged.");
        return problem(body);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException exception) {
        return problem(Problems.detail(PlatformProblem.INVALID_PARAMETER,
                "Parameter '" + exception.getName() + "' has an invalid value.", Map.of("field", exception.getName())));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException exception, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(readProblem(exception));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException exception, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (FieldError error : exception.getBindingResult().getFieldErrors()) {
            errors.add(Map.of("field", snakeCase(error.getField()), "message", String.valueOf(error.getDefaultMessage())));
        }
        exception.getBindingResult().getGlobalErrors()
                .forEach(error -> errors.add(Map.of("field", "", "message", String.valueOf(error.getDefaultMessage()))));
        return problem(validationProblem(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException exception, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        exception.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
                errors.add(Map.of("field", String.valueOf(result.getMethodParameter().getParameterName()),
                        "message", String.valueOf(error.getDefaultMessage())))));
        return problem(validationProblem(errors));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception exception, @Nullable Object body, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        ProblemDetail problem = switch (body) {
            case ProblemDetail detail -> detail;
            case null -> exception instanceof ErrorResponse error ? error.getBody() : ProblemDetail.forStatus(status);
            default -> ProblemDetail.forStatus(status);
        };
        if (problem.getProperties() == null || !problem.getProperties().containsKey("code")) {
            ProblemType type = typeOf(exception, status);
            problem.setType(type.type());
            problem.setTitle(type.title());
            problem.setProperty("code", type.code());
            problem.setProperty("retryable", type.retryable());
            if (problem.getDetail() == null) {
                problem.setDetail(type.title() + ".");
            }
        }
        if (exception instanceof ProblemException expected && status.is5xxServerError()) {
            // A deliberate answer (not configured, at capacity): worth a line, not a stack trace.
            log.warn("{} on {}: {}", expected.problemType().code(), request.getDescription(false), problem.getDetail());
        } else if (status.is5xxServerError()) {
            log.error("Error on {}", request.getDescription(false), exception);
        }
        var response = ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.body(problem);
    }

    private static ProblemType typeOf(Exception exception, HttpStatusCode status) {
        return switch (exception) {
            case ProblemException problem -> problem.problemType();
            case NoResourceFoundException ignored -> PlatformProblem.NOT_FOUND;
            case HttpRequestMethodNotSupportedException ignored -> PlatformProblem.METHOD_NOT_ALLOWED;
            case HttpMediaTypeNotSupportedException ignored -> PlatformProblem.UNSUPPORTED_MEDIA_TYPE;
            case HttpMediaTypeNotAcceptableException ignored -> PlatformProblem.NOT_ACCEPTABLE;
            case MissingServletRequestParameterException ignored -> PlatformProblem.INVALID_PARAMETER;
            case MissingRequestHeaderException ignored -> PlatformProblem.INVALID_PARAMETER;
            default -> byStatus(status);
        };
    }

    static ProblemType byStatus(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> PlatformProblem.BAD_REQUEST;
            case 401 -> PlatformProblem.UNAUTHORIZED;
            case 403 -> PlatformProblem.FORBIDDEN;
            case 404 -> PlatformProblem.NOT_FOUND;
            case 405 -> PlatformProblem.METHOD_NOT_ALLOWED;
            case 406 -> PlatformProblem.NOT_ACCEPTABLE;
            case 413 -> PlatformProblem.PAYLOAD_TOO_LARGE;
            case 415 -> PlatformProblem.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> PlatformProblem.SERVICE_UNAVAILABLE;
            default -> status.is4xxClientError() ? PlatformProblem.BAD_REQUEST : PlatformProblem.INTERNAL_ERROR;
        };
    }

    private static ProblemDetail readProblem(HttpMessageNotReadableException exception) {
        Throwable cause = exception.getCause();
        if (cause instanceof ValueInstantiationException instantiation
                && instantiation.getCause() instanceof IllegalArgumentException invalid) {
            String field = path(instantiation);
            return validationProblem(List.of(Map.of("field", field, "message", String.valueOf(invalid.getMessage()))));
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return unknownFieldProblem(unknown);
        }
        if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
            String field = path((JacksonException) cause);
            if (!field.isEmpty()) {
                return validationProblem(List.of(Map.of("field", field, "message", "has the wrong type or format")));
            }
        }
        if (cause == null) {
            return Problems.detail(PlatformProblem.MALFORMED_JSON, "The request body is missing.");
        }
        return Problems.detail(PlatformProblem.MALFORMED_JSON, "The request body is not valid JSON.");
    }

    private static ProblemDetail unknownFieldProblem(UnrecognizedPropertyException unknown) {
        String field = path(unknown);
        List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
                : unknown.getKnownPropertyIds().stream().map(String::valueOf).toList();
        var suggestion = UnknownFields.suggestedPath(field, unknown.getPropertyName(), known);
        var properties = new LinkedHashMap<String, Object>();
        properties.put("field", field);
        suggestion.ifPresent(meant -> properties.put("suggestion", meant));
        return Problems.detail(PlatformProblem.UNKNOWN_FIELD, UnknownFields.message(field, suggestion), properties);
    }

    private static ProblemDetail validationProblem(List<Map<String, String>> errors) {
        String detail = errors.isEmpty()
                ? "The request is invalid."
                : errors.stream()
                        .map(e -> e.get("field").isEmpty() ? e.get("message") : e.get("field") + ": " + e.get("message"))
                        .reduce((a, b) -> a + "; " + b)
                        .orElseThrow();
        var problem = Problems.detail(PlatformProblem.VALIDATION_FAILED, detail, Map.of("errors", errors));
        if (errors.size() == 1) {
            problem.setProperty("field", errors.getFirst().get("field"));
        }
        return problem;
    }

    private static String path(JacksonException exception) {
        var path = new StringBuilder();
        for (var reference : exception.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String snakeCase(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static ResponseEntity<Object> problem(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
