package io.qualgranter.cli;

import java.io.PrintWriter;

import io.qualgranter.job.ExitCodes;

/**
 * {@code grant --generate-skeleton}: a sample CSV and a sample JSON line (the request object of
 * {@code aws mturk associate-qualification-with-worker --cli-input-json}), printed without starting Spring.
 * With {@code csv} or {@code jsonl} only that one, ready to redirect into a file.
 */
final class Skeleton {

    static final String CSV = """
            WorkerId,QualificationTypeId,IntegerValue,SendNotification
            A1EXAMPLEWORKER01,3EXAMPLEQUALIFICATIONTYPE01,90,false
            A1EXAMPLEWORKER02,3EXAMPLEQUALIFICATIONTYPE01,85,false
            """;
    static final String JSON_LINE = "{\"QualificationTypeId\": \"3EXAMPLEQUALIFICATIONTYPE01\", "
            + "\"WorkerId\": \"A1EXAMPLEWORKER01\", \"IntegerValue\": 90, \"SendNotification\": false}\n";

    private Skeleton() {
    }

    static int print(PrintWriter out, PrintWriter err, String which) {
        switch (which.strip().toLowerCase()) {
            case "csv" -> out.print(CSV);
            case "jsonl", "json" -> out.print(JSON_LINE);
            case "both" -> {
                out.println("# CSV (e.g. grants.csv): a header row, then one grant per row");
                out.print(CSV);
                out.println();
                out.println("# JSON Lines (e.g. grants.jsonl): one --cli-input-json request object per line");
                out.print(JSON_LINE);
            }
            default -> {
                err.println("granter: --generate-skeleton takes csv or jsonl (or nothing for both), not \"" + which + "\"");
                err.flush();
                return ExitCodes.NOTHING_SENT;
            }
        }
        out.flush();
        return ExitCodes.DONE;
    }
}
