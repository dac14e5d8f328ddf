package dev.sofim.data;

import java.util.Map;

/** A dataset's training and test sets as file bytes, with the checksums of the files read. */
public record RawSplit(RawImages train, RawImages test, Map<String, String> checksums) {

    /** Every image as floats. */
    public Split all() {
        return new Split(train.head(0), null, test.head(0), checksums);
    }
}
