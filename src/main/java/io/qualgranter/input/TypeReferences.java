package io.qualgranter.input;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The qualification types an input asks for, gathered by the validate step for the preflight: the
 * distinct type ids of its valid rows and, for the website's worker file, the qualification names.
 * Kept in the validate step's execution context, so a resumed run's preflight finds them again.
 */
public record TypeReferences(Set<String> ids, Set<String> names) {

    /** More distinct types than any requester has means the type column is something else. */
    public static final int MOST_DISTINCT_TYPES = 10_000;

    private static final String IDS = "types.ids";
    private static final String NAMES = "types.names";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    public TypeReferences {
        ids = Set.copyOf(ids);
        names = Set.copyOf(names);
    }

    public void saveTo(ExecutionContext context) {
        context.putString(IDS, JSON.writeValueAsString(new TreeSet<>(ids)));
        context.putString(NAMES, JSON.writeValueAsString(new TreeSet<>(names)));
    }

    public static TypeReferences from(ExecutionContext context) {
        return new TypeReferences(new TreeSet<>(JSON.readValue(context.getString(IDS, "[]"), STRINGS)),
                new TreeSet<>(JSON.readValue(context.getString(NAMES, "[]"), STRINGS)));
    }
}
