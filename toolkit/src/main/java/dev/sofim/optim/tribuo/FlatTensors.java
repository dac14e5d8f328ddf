package dev.sofim.optim.tribuo;

import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.Tensor;

/**
 * Moves Tribuo tensors to and from one flat {@code double[]} (row-major, tensor after tensor).
 * Sparse gradients (a {@code DenseSparseMatrix} from sparse features) are added into a dense
 * tensor of the parameters' shape first.
 */
final class FlatTensors {
    private FlatTensors() {
    }

    /** Block boundaries [0, size(t₀), size(t₀)+size(t₁), …]. */
    static int[] bounds(Tensor[] tensors) {
        int[] b = new int[tensors.length + 1];
        for (int k = 0; k < tensors.length; k++) {
            b[k + 1] = Math.addExact(b[k], Tensor.shapeSum(tensors[k].getShape()));
        }
        return b;
    }

    /**
     * Writes {@code scale · t} into {@code out}; {@code dense} are zeroed tensors of the parameters' shapes (null
     * when {@code tensors} are the parameters themselves), and each update must have its parameter's shape.
     */
    static void read(Tensor[] tensors, Tensor[] dense, double scale, double[] out) {
        if (dense != null) {
            if (tensors.length != dense.length) {
                throw new IllegalArgumentException(tensors.length + " update tensors for " + dense.length
                        + " parameter tensors; expected one update per parameter tensor");
            }
            for (int k = 0; k < tensors.length; k++) {
                if (!java.util.Arrays.equals(tensors[k].getShape(), dense[k].getShape())) {
                    throw new IllegalArgumentException("update tensor " + k + " has shape "
                            + java.util.Arrays.toString(tensors[k].getShape()) + "; its parameter tensor has shape "
                            + java.util.Arrays.toString(dense[k].getShape()));
                }
            }
        }
        int pos = 0;
        for (int k = 0; k < tensors.length; k++) {
            Tensor t = tensors[k];
            if (!(t instanceof DenseMatrix) && !(t instanceof DenseVector)) {
                dense[k].intersectAndAddInPlace(t);
                t = dense[k];
            }
            pos = copyOut(t, scale, out, pos);
        }
    }

    private static int copyOut(Tensor t, double scale, double[] out, int pos) {
        if (t instanceof DenseMatrix m) {
            for (int i = 0; i < m.getDimension1Size(); i++) {
                for (int j = 0; j < m.getDimension2Size(); j++) {
                    out[pos++] = scale * m.get(i, j);
                }
            }
        } else if (t instanceof DenseVector v) {
            for (int i = 0; i < v.size(); i++) {
                out[pos++] = scale * v.get(i);
            }
        } else {
            throw new IllegalArgumentException("unsupported Tribuo tensor " + t.getClass().getName()
                    + "; expected DenseMatrix, DenseVector or a sparse matrix of the parameters' shape");
        }
        return pos;
    }

    /** Writes {@code scale · in} into the dense tensors {@code out}, in place. */
    static void write(double[] in, double scale, Tensor[] out) {
        int pos = 0;
        for (Tensor t : out) {
            if (t instanceof DenseMatrix m) {
                for (int i = 0; i < m.getDimension1Size(); i++) {
                    for (int j = 0; j < m.getDimension2Size(); j++) {
                        m.set(i, j, scale * in[pos++]);
                    }
                }
            } else if (t instanceof DenseVector v) {
                for (int i = 0; i < v.size(); i++) {
                    v.set(i, scale * in[pos++]);
                }
            } else {
                throw new IllegalArgumentException("unsupported Tribuo parameter tensor " + t.getClass().getName());
            }
        }
    }
}
