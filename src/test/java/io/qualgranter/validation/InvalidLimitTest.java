package io.qualgranter.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InvalidLimitTest {

    @Test
    void percentageIsOfTheDataRows() {
        InvalidLimit tenPercent = InvalidLimit.parse("10%");
        assertThat(tenPercent.exceededBy(10, 100)).isFalse();
        assertThat(tenPercent.exceededBy(11, 100)).isTrue();
        assertThat(tenPercent).hasToString("10%");
    }

    @Test
    void aNumberIsRows() {
        InvalidLimit none = InvalidLimit.parse("0");
        assertThat(none.exceededBy(0, 5)).isFalse();
        assertThat(none.exceededBy(1, 1_000_000)).isTrue();
        assertThat(InvalidLimit.parse(" 25 ").exceededBy(25, 26)).isFalse();
    }

    @Test
    void anythingElseIsRefusedWithTheExpectedForm() {
        for (String bad : new String[] {"ten", "-1", "120%", "%", ""}) {
            assertThatThrownBy(() -> InvalidLimit.parse(bad)).hasMessageContaining("--max-invalid takes");
        }
    }
}
