import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The local limit (issue #6): {@code java -cp commons-csv.jar:commons-io.jar CsvParseRate.java FILE [PASSES]}
 * parses FILE with Commons CSV, touching every cell, and prints rows/s of the first (cold) and the
 * best later (warm) pass.
 */
public class CsvParseRate {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double cold = 0;
        double warm = 0;
        for (int pass = 0; pass < passes; pass++) {
            long start = System.nanoTime();
            long rows = 0;
            long chars = 0;
            try (Reader in = Files.newBufferedReader(file);
                 CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                for (CSVRecord record : parser) {
                    rows++;
                    for (int i = 0; i < record.size(); i++) {
                        chars += record.get(i).length();
                    }
                }
            }
            double rate = rows / ((System.nanoTime() - start) / 1e9);
            if (pass == 0) {
                cold = rate;
            } else {
                warm = Math.max(warm, rate);
            }
            if (chars == 0 && rows > 0) {
                throw new IllegalStateException("no cells");
            }
        }
        System.out.printf("parse_cold_rows_per_s=%.0f parse_warm_rows_per_s=%.0f%n", cold, warm);
    }
}
