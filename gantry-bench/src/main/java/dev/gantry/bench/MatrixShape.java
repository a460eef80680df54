package dev.gantry.bench;

/**
 * A weight matrix's size as a benchmark parameter names it, {@code "rows x cols"} written {@code 5632x2048}:
 * {@code rows} output values, each the dot product of a row of {@code cols} weights with the input (TinyLlama's
 * FFN gate/up is 5632x2048, its down projection 2048x5632).
 */
record MatrixShape(int rows, int cols) {

    MatrixShape {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("matrix shape needs positive rows and cols, got " + rows + "x" + cols);
        }
    }

    /** Parses {@code "ROWSxCOLS"}, e.g. {@code "2048x5632"}. */
    static MatrixShape parse(String text) {
        String[] parts = text.trim().split("[xX]");
        if (parts.length != 2) {
            throw new IllegalArgumentException("matrix shape must be ROWSxCOLS (e.g. 2048x5632), got '" + text + "'");
        }
        try {
            return new MatrixShape(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("matrix shape must be ROWSxCOLS (e.g. 2048x5632), got '" + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return rows + "x" + cols;
    }
}
