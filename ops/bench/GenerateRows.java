import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Benchmark input (issue #6): {@code java GenerateRows.java ROWS SEED} prints a seeded CSV of ROWS
 * distinct grants (distinct worker ids, two types, values 0-100) to stdout. Row i is the same in every
 * file of the same seed, so a file of N rows is the first N rows of any bigger one (a growing export).
 * {@code java GenerateRows.java ROWS SEED --ledger ENDPOINT} prints the same rows as ledger lines
 * instead ({@code endpoint,type,worker,value}, no header): what an earlier run that granted them left.
 */
public class GenerateRows {
    public static void main(String[] args) throws IOException {
        int rows = Integer.parseInt(args[0]);
        long seed = Long.parseLong(args[1]);
        String ledgerEndpoint = args.length > 3 && args[2].equals("--ledger") ? args[3] : null;
        String[] types = {"3BENCHTYPE0000000000000000001", "3BENCHTYPE0000000000000000002"};
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)) {
            if (ledgerEndpoint == null) {
                out.write("WorkerId,QualificationTypeId,IntegerValue\n");
            }
            for (int i = 0; i < rows; i++) {
                Random random = new Random(seed * 1_000_003L + i);
                String suffix = Long.toString(Math.abs(random.nextLong()) % 2_000_000_000L, 36).toUpperCase();
                String worker = "A" + Integer.toString(i, 36).toUpperCase() + "Z" + suffix;
                if (ledgerEndpoint != null) {
                    out.write(ledgerEndpoint + "," + types[i % 2] + ",");
                    out.write(worker.substring(0, Math.min(worker.length(), 20)));
                    out.write(',');
                    out.write(Integer.toString(random.nextInt(101)));
                    out.write('\n');
                    continue;
                }
                out.write(worker.substring(0, Math.min(worker.length(), 20)));
                out.write(',');
                out.write(types[i % 2]);
                out.write(',');
                out.write(Integer.toString(random.nextInt(101)));
                out.write('\n');
            }
        }
    }
}
