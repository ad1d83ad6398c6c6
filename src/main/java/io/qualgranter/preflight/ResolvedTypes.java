package io.qualgranter.preflight;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the preflight established, kept in the job's execution context for the later steps: the run's
 * qualification type ids (all checked) and the website worker file's names resolved to ids.
 */
public record ResolvedTypes(Set<String> typeIds, Map<String, String> idsByName) {

    static final String TYPE_IDS = "preflight.type-ids";
    static final String IDS_BY_NAME = "preflight.type-ids-by-name";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public ResolvedTypes {
        typeIds = Set.copyOf(typeIds);
        idsByName = Map.copyOf(idsByName);
    }

    public static ResolvedTypes none() {
        return new ResolvedTypes(Set.of(), Map.of());
    }

    public void saveTo(ExecutionContext context) {
        context.putString(TYPE_IDS, JSON.writeValueAsString(new TreeSet<>(typeIds)));
        context.putString(IDS_BY_NAME, JSON.writeValueAsString(new TreeMap<>(idsByName)));
    }

    public static ResolvedTypes from(ExecutionContext context) {
        if (!context.containsKey(TYPE_IDS)) {
            return none();
        }
        List<String> ids = JSON.readValue(context.getString(TYPE_IDS), new TypeReference<List<String>>() { });
        Map<String, String> names = JSON.readValue(context.getString(IDS_BY_NAME, "{}"),
                new TypeReference<Map<String, String>>() { });
        return new ResolvedTypes(new TreeSet<>(ids), names);
    }
}
