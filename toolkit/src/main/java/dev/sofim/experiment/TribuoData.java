package dev.sofim.experiment;

import dev.sofim.data.ImageSet;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** An {@link ImageSet} as a Tribuo classification dataset: dense features {@code p000 … pNNN}, labels "0" … "k−1". */
public final class TribuoData {
    private TribuoData() {
    }

    /** Per-class F1 of an evaluation, by label, in label order ("0", "1", …). */
    public static java.util.Map<String, Double> perClassF1(org.tribuo.classification.evaluation.LabelEvaluation evaluation) {
        java.util.Map<String, Double> f1 = new java.util.TreeMap<>(java.util.Comparator.comparingInt(Integer::parseInt));
        for (Label l : evaluation.getConfusionMatrix().getDomain().getDomain()) {
            f1.put(l.getLabel(), evaluation.f1(l));
        }
        return new java.util.LinkedHashMap<>(f1);
    }

    public static MutableDataset<Label> dataset(ImageSet set, String description) {
        LabelFactory factory = new LabelFactory();
        int d = set.features();
        String[] names = new String[d];
        for (int j = 0; j < d; j++) {
            names[j] = String.format("p%03d", j);
        }
        List<org.tribuo.Example<Label>> examples = new ArrayList<>(set.size());
        for (int i = 0; i < set.size(); i++) {
            double[] values = new double[d];
            for (int j = 0; j < d; j++) {
                values[j] = set.pixels()[i * d + j];
            }
            examples.add(new ArrayExample<>(new Label(Integer.toString(set.labels()[i])), names, values));
        }
        var provenance = new SimpleDataSourceProvenance(description, OffsetDateTime.now(), factory);
        return new MutableDataset<>(new ListDataSource<>(examples, factory, provenance));
    }
}
