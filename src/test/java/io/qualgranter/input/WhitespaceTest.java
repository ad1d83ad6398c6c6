package io.qualgranter.input;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WhitespaceTest {

    /** Every char: what Java calls whitespace or a space character, and the zero-width spaces; nothing else. */
    @Test
    void spacesAreJavasWhitespaceAndSpaceCharactersAndTheZeroWidthOnes() {
        for (int c = Character.MIN_VALUE; c <= Character.MAX_VALUE; c++) {
            boolean expected = Character.isWhitespace(c) || Character.isSpaceChar(c)
                    || c == '\u200B' || c == '\u2060' || c == '\uFEFF';
            assertThat(Whitespace.isSpace((char) c)).as("U+%04X", c).isEqualTo(expected);
        }
    }

    @Test
    void stripRemovesThemAtBothEndsOnly() {
        assertThat(Whitespace.strip("\u00A0 A1 B2\u200B\t")).isEqualTo("A1 B2");
        assertThat(Whitespace.strip("A1")).isEqualTo("A1");
        assertThat(Whitespace.strip(null)).isEmpty();
    }
}
