package dev.sofim.data;

/** A dataset's training, optional validation, and test sets, with the checksums of the files read. */
public record Split(ImageSet train, ImageSet validation, ImageSet test, java.util.Map<String, String> checksums) {
}
