package io.qualgranter.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.qualgranter.row.GrantRow;
import org.junit.jupiter.api.Test;

/** The service-model rules on single cells, where the corpus would need a file per case. */
class RowValidatorTest {

    static final String TYPE = "3VALIDATORTYPE0000000000001";

    final RowValidator validator = new RowValidator(new RunDefaults(null, 1, false));

    @Test
    void integersAreSignedDecimalDigitsWithinThirtyTwoBits() {
        assertThat(RowValidator.parseInteger("000000000000005")).isEqualTo(5);
        assertThat(RowValidator.parseInteger("-0")).isZero();
        assertThat(RowValidator.parseInteger("+2147483647")).isEqualTo(Integer.MAX_VALUE);
        assertThat(RowValidator.parseInteger("-2147483648")).isEqualTo(Integer.MIN_VALUE);
        assertThat(RowValidator.parseInteger("99999999999")).isNull();
        assertThat(RowValidator.parseInteger("+")).isNull();
        assertThat(RowValidator.parseInteger("1_000")).isNull();
        assertThat(RowValidator.parseInteger("\u0661")).as("an Arabic-Indic digit").isNull();
    }

    @Test
    void reasonsSayWhatWasExpected() {
        assertThat(reason("A1W", TYPE, "1,5")).isEqualTo("IntegerValue \"1,5\" is not a whole number: it has a fractional part");
        assertThat(reason("A1W", TYPE, "9999999999999")).contains("outside the 32-bit integer range");
        assertThat(reason("A1W\u0000", TYPE, "1")).contains("\\u0000").contains("not A-Z or 0-9 at position 4");
        assertThat(reason("A1W", "", "1")).isEqualTo("missing QualificationTypeId (no column value and no --qualification-type-id)");
        assertThat(reason("", TYPE, "1")).isEqualTo("missing WorkerId");
        assertThat(reason("A1W;A2W", TYPE, "1")).contains("holds more than one id");
        assertThat(reason("A1W", TYPE + "," + TYPE, "1")).contains("QualificationTypeId").contains("holds more than one id");
    }

    @Test
    void spreadsheetSpacesAreTrimmedAndSaidSo() {
        Validated validated = validator.validate(new GrantRow(2, "\u200bA1W\u00a0", "\u2007" + TYPE, " 5\t", null));

        assertThat(validated.isValid()).isTrue();
        assertThat(validated.request().workerId()).isEqualTo("A1W");
        assertThat(validated.request().qualificationTypeId()).isEqualTo(TYPE);
        assertThat(validated.request().integerValue()).isEqualTo(5);
        assertThat(validated.note()).isEqualTo("whitespace trimmed (WorkerId, QualificationTypeId, IntegerValue)");
    }

    private String reason(String worker, String type, String value) {
        Validated validated = validator.validate(new GrantRow(2, worker, type, value, null));
        assertThat(validated.isValid()).isFalse();
        return validated.invalidReason();
    }
}
