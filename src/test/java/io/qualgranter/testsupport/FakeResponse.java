package io.qualgranter.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

import net.minidev.json.JSONValue;

/**
 * One answer of {@link FakeMTurk}: an HTTP status and a JSON body (content type
 * {@code application/x-amz-json-1.1}).
 *
 * <p>The factory methods build the error bodies the real service sends; what each one becomes on
 * the SDK side is listed in the {@link FakeMTurk} class comment.
 *
 * @param status HTTP status code
 * @param body   JSON text
 */
public record FakeResponse(int status, String body) {

    /** HTTP 200 with the given JSON body. */
    public static FakeResponse ok(String json) {
        return new FakeResponse(200, json);
    }

    /** HTTP 200 with the given fields as a JSON object (keys in the given order). */
    public static FakeResponse ok(Map<String, ?> fields) {
        return ok(JSONValue.toJSONString(fields));
    }

    /** HTTP 200 with an empty JSON object, what most write operations answer. */
    public static FakeResponse emptyOk() {
        return ok("{}");
    }

    /** Any error: {@code {"__type": type, "Message": message}}. */
    public static FakeResponse error(int status, String type, String message) {
        return errorWith(status, type, "Message", message, null);
    }

    /** HTTP 400 {@code RequestError} with a {@code TurkErrorCode}: the SDK's {@code RequestErrorException}. */
    public static FakeResponse requestError(String message, String turkErrorCode) {
        return errorWith(400, "RequestError", "Message", message, turkErrorCode);
    }

    /** {@code ServiceFault} with the given 5xx status: the SDK's {@code ServiceException}. */
    public static FakeResponse serviceFault(int status, String message) {
        return errorWith(status, "ServiceFault", "Message", message, "AWS.MechanicalTurk.ServiceFault");
    }

    /** HTTP 400 {@code ThrottlingException} "Rate exceeded", as AWS answers over a rate limit. */
    public static FakeResponse throttling() {
        return errorWith(400, "ThrottlingException", "message", "Rate exceeded", null);
    }

    /** HTTP 400 {@code ParameterValidationError}, what MTurk answers for a worker it does not know. */
    public static FakeResponse parameterValidation(String parameter, Object value) {
        return errorWith(400, "ParameterValidationError", "Message",
                "The value \"" + value + "\" is not valid for the parameter " + parameter + ".",
                "AWS.ParameterOutOfRange");
    }

    /** {@code InvalidSignatureException} with the given status (403 unsigned, 400 wrong secret). */
    public static FakeResponse invalidSignature(int status, String message) {
        return errorWith(status, "InvalidSignatureException", "message", message, null);
    }

    /**
     * A fault with an arbitrary status, as {@link FakeMTurk#failNext} and
     * {@link FakeMTurk#failAssociateFromCall} send it: 429 becomes a throttling error, other 4xx a
     * {@code RequestError}, anything else a {@code ServiceFault}.
     */
    public static FakeResponse fault(int status, String message) {
        if (status == 429) {
            return errorWith(429, "ThrottlingException", "message", "Rate exceeded", null);
        }
        if (status >= 400 && status < 500) {
            return errorWith(status, "RequestError", "Message", message, "AWS.MechanicalTurk.InjectedFault");
        }
        return serviceFault(status, message);
    }

    /** Whether this answer is a success (2xx). */
    public boolean successful() {
        return status >= 200 && status < 300;
    }

    private static FakeResponse errorWith(int status, String type, String messageKey, String message,
            String turkErrorCode) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", type);
        body.put(messageKey, message);
        if (turkErrorCode != null) {
            body.put("TurkErrorCode", turkErrorCode);
        }
        return new FakeResponse(status, JSONValue.toJSONString(body));
    }
}
