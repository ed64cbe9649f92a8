package dev.strongroom.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.strongroom.common.web.RequestIds;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import io.vertx.core.VertxException;
import java.io.CharConversionException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * The one place where exceptions become HTTP answers. Every error leaves as
 * {@code application/problem+json}; unexpected failures are logged with the request id
 * and answered with a generic 500 that names nothing internal.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response domain(ProblemException e, ContainerRequestContext request) {
        Response.ResponseBuilder answer = answer(request, e.status(), e.slug(), e.title(), e.getMessage(),
                e.fieldErrors().isEmpty() ? null : e.fieldErrors());
        if (e.retryAfterSeconds() != null) {
            answer.header("Retry-After", e.retryAfterSeconds());
        }
        return answer.build();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, ContainerRequestContext request) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .collect(Collectors.toList());
        return answer(request, 422, "validation-failed", "Validation failed", "The request has invalid fields.", errors)
                .build();
    }

    /** Ahead of Quarkus' own mapper for the same exception, which answers plain JSON. */
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response wrongJsonShape(MismatchedInputException e, ContainerRequestContext request) {
        return unreadableJson(e, request);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, ContainerRequestContext request) {
        return answer(request, 400, "malformed-request", "Malformed request", describe(e), null).build();
    }

    /**
     * Bytes that are JSON in no encoding Jackson can detect (a stray UTF-32 byte-order mark, say): an
     * {@link java.io.IOException} rather than a parse error, but the client's fault all the same.
     */
    @ServerExceptionMapper
    public Response unreadableEncoding(CharConversionException e, ContainerRequestContext request) {
        return answer(request, 400, "malformed-request", "Malformed request",
                "The request body is not JSON in UTF-8, UTF-16 or UTF-32.", null).build();
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, ContainerRequestContext request, SimpleResourceInfo resource) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, request);
        }
        if (e.getCause() instanceof CharConversionException encoding) {
            return unreadableEncoding(encoding, request);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, request, resource);
        }
        Response.ResponseBuilder answer = answer(request, status, slugFor(status), titleFor(status), detailFor(status, request), null);
        // 405 answers say which methods the resource has.
        String allow = e.getResponse().getHeaderString("Allow");
        if (allow != null) {
            answer.header("Allow", allow);
        }
        return answer.build();
    }

    /**
     * Logs the route template ({@code POST /v1/shares/{token}/open}), never the request's own path: paths carry
     * share tokens and secret names; and the failure's classes and stack, never its messages ({@link MessagelessFailure}).
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, ContainerRequestContext request, SimpleResourceInfo resource) {
        String requestId = RequestIds.of(request);
        if (dependencyUnreachable(e)) {
            // MariaDB or a service this one calls refused or dropped the connection: not a bug, and over when it is back.
            // A write is all or nothing (one transaction), so the client may retry. docs/operations.md, "Faults".
            // one line, no stack: during an outage every request lands here
            LOG.warnf("%s %s failed: a dependency cannot be reached (request %s): %s", request.getMethod(),
                    routeTemplate(resource), requestId, MessagelessFailure.kinds(e));
            return answer(request, 503, "dependency-unavailable", "Service unavailable", dependencyUnavailableDetail(requestId), null)
                    .header("Retry-After", DEPENDENCY_RETRY_AFTER_SECONDS)
                    .build();
        }
        LOG.errorf(MessagelessFailure.of(e), "Unexpected failure of %s %s (request %s)", request.getMethod(), routeTemplate(resource), requestId);
        return answer(request, 500, "internal-error", "Internal server error",
                "The server could not complete the request. Quote request id " + requestId + " to your operator.", null)
                .build();
    }

    static final int DEPENDENCY_RETRY_AFTER_SECONDS = 5;

    static String dependencyUnavailableDetail(String requestId) {
        return "A system this service depends on cannot be reached right now; try again shortly. Request id " + requestId + ".";
    }

    /** Connection failures whose class says "the peer is not there"; they reach us wrapped (Hibernate Reactive, Mutiny). */
    private static final Set<String> UNREACHABLE = Set.of(
            "io.vertx.sqlclient.ClosedConnectionException", "io.vertx.core.http.HttpClosedException");

    /**
     * Whether a failure is a connection to a dependency (the database, another service) being refused, closed or
     * impossible to open - not a bug of ours, and over when the dependency is back.
     */
    static boolean dependencyUnreachable(Throwable e) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ClosedChannelException
                    || t instanceof NoRouteToHostException || UNREACHABLE.contains(t.getClass().getName())
                    || closedSqlConnection(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The reactive SQL client's failures for a statement on a connection that closed after it was handed out (the
     * database died between two statements of a transaction), or queued behind one that was in flight. They have no
     * class of their own (io.vertx.sqlclient.impl.SocketConnectionBase), so their fixed wording is matched; the
     * message is read here, never logged.
     */
    private static boolean closedSqlConnection(Throwable t) {
        String message = t.getMessage();
        return message != null && (t instanceof VertxException || "io.vertx.core.impl.NoStackTraceThrowable".equals(t.getClass().getName()))
                && (message.startsWith("Connection is not active now") || message.startsWith("Pending requests failed to be sent due to connection has been closed"));
    }

    /** The matched resource method's path template, or a placeholder when no resource method was matched. */
    static String routeTemplate(SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null || resource.getMethodName() == null) {
            return "(no matching resource)";
        }
        StringBuilder template = new StringBuilder();
        jakarta.ws.rs.Path classPath = resource.getResourceClass().getAnnotation(jakarta.ws.rs.Path.class);
        if (classPath != null) {
            template.append(classPath.value());
        }
        try {
            Method method = resource.getResourceClass().getMethod(resource.getMethodName(), resource.parameterTypes());
            jakarta.ws.rs.Path methodPath = method.getAnnotation(jakarta.ws.rs.Path.class);
            if (methodPath != null) {
                template.append(methodPath.value().startsWith("/") || template.toString().endsWith("/") ? "" : "/").append(methodPath.value());
            }
        } catch (NoSuchMethodException e) {
            template.append("/…");
        }
        return template.isEmpty() ? "/" : template.toString();
    }

    /** Builds the problem answer; also used by non-JAX-RS routes through {@link #problem}. */
    private static Response.ResponseBuilder answer(ContainerRequestContext request, int status, String slug, String title,
            String detail, List<Problem.FieldError> errors) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(problem(status, slug, title, detail, request.getUriInfo().getPath(), RequestIds.of(request), errors));
    }

    public static Problem problem(int status, String slug, String title, String detail, String instance, String requestId,
            List<Problem.FieldError> errors) {
        return new Problem(Problem.type(slug), title, status, detail, instance, requestId, errors);
    }

    /** "create.request.name" becomes "name"; list elements keep their index: "tags[1]". */
    static String fieldName(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case PROPERTY -> {
                    if (!field.isEmpty()) {
                        field.append('.');
                    }
                    field.append(node.getName());
                }
                case CONTAINER_ELEMENT -> {
                    if (node.getIndex() != null) {
                        field.append('[').append(node.getIndex()).append(']');
                    } else if (node.getKey() != null) {
                        field.append('[').append(node.getKey()).append(']');
                    }
                }
                default -> {
                    // the resource method and its parameter name say nothing to a client
                }
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    /** Says where the JSON broke without echoing the input (it may hold a secret) or naming classes. */
    private static String describe(JsonProcessingException e) {
        StringBuilder detail = new StringBuilder("The request body is not valid JSON for this endpoint");
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            detail.append(": field '").append(path).append("' has the wrong type or shape");
        } else if (e.getLocation() != null) {
            detail.append(" (line ").append(e.getLocation().getLineNr())
                    .append(", column ").append(e.getLocation().getColumnNr()).append(')');
        }
        return detail.append('.').toString();
    }

    /** The problem type slug of a plain HTTP status. */
    public static String slugFor(int status) {
        return switch (status) {
            case 400 -> "malformed-request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 413 -> "too-large";
            case 415 -> "unsupported-media-type";
            case 429 -> "rate-limited";
            default -> "http-" + status;
        };
    }

    /** The reason phrase of a status, as a problem title. */
    public static String titleFor(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "HTTP " + status;
    }

    private static String detailFor(int status, ContainerRequestContext request) {
        return switch (status) {
            case 401 -> "Authentication is required: send Authorization: Bearer <access token>.";
            case 403 -> "You are not allowed to do this.";
            case 404 -> "There is nothing at this path.";
            case 405 -> "Method " + request.getMethod() + " is not allowed on this path.";
            case 406 -> "This endpoint answers application/json only.";
            case 415 -> "Send the body as application/json.";
            default -> titleFor(status) + ".";
        };
    }
}
