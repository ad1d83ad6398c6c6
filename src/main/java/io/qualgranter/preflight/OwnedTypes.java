package io.qualgranter.preflight;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awssdk.services.mturk.MTurkClient;
import software.amazon.awssdk.services.mturk.model.QualificationType;

/** The caller's own qualification types, by id and by name ({@code ListQualificationTypes}, {@code MustBeOwnedByCaller}, all pages). */
public final class OwnedTypes {

    private final Map<String, QualificationType> byId = new LinkedHashMap<>();
    private final Map<String, QualificationType> byName = new HashMap<>();

    private OwnedTypes() {
    }

    public static OwnedTypes list(MTurkClient client) {
        OwnedTypes owned = new OwnedTypes();
        client.listQualificationTypesPaginator(b -> b.mustBeOwnedByCaller(true).mustBeRequestable(false).maxResults(100))
                .stream()
                .flatMap(page -> page.qualificationTypes().stream())
                .forEach(type -> {
                    owned.byId.put(type.qualificationTypeId(), type);
                    owned.byName.putIfAbsent(type.name(), type);
                });
        return owned;
    }

    public QualificationType byId(String id) {
        return byId.get(id);
    }

    public QualificationType byName(String name) {
        return byName.get(name);
    }

    public int size() {
        return byId.size();
    }

    static boolean isActive(QualificationType type) {
        return "Active".equalsIgnoreCase(type.qualificationTypeStatusAsString());
    }
}
