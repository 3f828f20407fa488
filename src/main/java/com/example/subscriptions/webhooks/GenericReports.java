package com.example.subscriptions.webhooks;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.core.Utf8;
import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The generic webhook's body: one report {@code {"type": "bounce"|"complaint", "email": "...", "diagnostic": "...",
 * "id": "..."}} or a list of them. Every report must be valid, or none is published: a provider that gets a 400
 * fixes its request, and one that gets a 200 knows all went through.
 */
final class GenericReports {

    /** Reports in one request at most. */
    static final int MAX_REPORTS = 100;
    /** The provider's id of a report: short, and safe in a log line and a command id. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    /** The body is not what the README documents; nothing is published. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    private GenericReports() {}

    static List<ProviderReport> parse(byte[] body) throws Invalid {
        String text = Utf8.decode(body).orElseThrow(() -> new Invalid("body is not UTF-8"));
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Invalid("body is not JSON");
        }
        if (json == null || !(json.isObject() || json.isArray())) {
            throw new Invalid("body must be a report object or a list of them");
        }
        List<JsonNode> items = new ArrayList<>();
        if (json.isObject()) {
            items.add(json);
        } else {
            json.forEach(items::add);
        }
        if (items.isEmpty() || items.size() > MAX_REPORTS) {
            throw new Invalid("a list must hold 1 to " + MAX_REPORTS + " reports");
        }
        List<ProviderReport> reports = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            reports.add(report(item));
        }
        return reports;
    }

    private static ProviderReport report(JsonNode item) throws Invalid {
        if (!item.isObject()) {
            throw new Invalid("every report must be an object");
        }
        SuppressionReason reason = SuppressionReason.ofWireName(
                        item.path("type").asText("").strip())
                .filter(r -> item.path("type").isTextual())
                .orElseThrow(() -> new Invalid("field 'type' must be bounce or complaint"));
        JsonNode emailNode = item.path("email");
        if (!emailNode.isTextual()
                || !(EmailAddress.parse(emailNode.asText()) instanceof EmailAddress.Parsed.Valid valid)) {
            throw new Invalid("field 'email' must be an email address");
        }
        JsonNode diagnosticNode = item.path("diagnostic");
        if (!diagnosticNode.isMissingNode() && !diagnosticNode.isNull() && !diagnosticNode.isTextual()) {
            throw new Invalid("field 'diagnostic' must be a string");
        }
        JsonNode idNode = item.path("id");
        Optional<String> id =
                idNode.isMissingNode() || idNode.isNull() ? Optional.empty() : Optional.of(idNode.asText());
        if (id.isPresent() && (!idNode.isTextual() || !ID.matcher(id.get()).matches())) {
            throw new Invalid("field 'id' must be 1 to 100 letters, digits or . _ : -");
        }
        // Without the provider's id, the report itself names the command: a retry of it publishes the same id.
        String commandId = ProviderReport.commandId(
                ReportSource.WEBHOOK,
                id.orElseGet(() -> ProviderReport.shortHash(
                        reason.wireName() + " " + valid.email().value())),
                valid.email());
        return new ProviderReport(
                reason,
                valid.email(),
                ReportSource.WEBHOOK,
                diagnosticNode.isTextual() ? Optional.of(diagnosticNode.asText()) : Optional.empty(),
                commandId);
    }
}
