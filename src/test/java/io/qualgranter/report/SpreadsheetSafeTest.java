package io.qualgranter.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpreadsheetSafeTest {

    @Test
    void cellsThatAStartFormulaGetAnApostrophe() {
        assertThat(SpreadsheetSafe.cell("=1+1")).isEqualTo("'=1+1");
        assertThat(SpreadsheetSafe.cell("+1")).isEqualTo("'+1");
        assertThat(SpreadsheetSafe.cell("-1")).isEqualTo("'-1");
        assertThat(SpreadsheetSafe.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(SpreadsheetSafe.cell("\t=1")).isEqualTo("'\t=1");
        assertThat(SpreadsheetSafe.cell("\r=1")).isEqualTo("'\r=1");
        assertThat(SpreadsheetSafe.cell("A1WORKER")).isEqualTo("A1WORKER");
        assertThat(SpreadsheetSafe.cell("")).isEmpty();
        assertThat(SpreadsheetSafe.cell(null)).isEmpty();
    }

    @Test
    void numbersStayNumbersButNotFormulasDressedAsNumbers() {
        assertThat(SpreadsheetSafe.number("-5")).isEqualTo("-5");
        assertThat(SpreadsheetSafe.number("90")).isEqualTo("90");
        assertThat(SpreadsheetSafe.number("-5+cmd|' /C calc'!A0")).startsWith("'");
        assertThat(SpreadsheetSafe.number("=1")).isEqualTo("'=1");
    }
}
