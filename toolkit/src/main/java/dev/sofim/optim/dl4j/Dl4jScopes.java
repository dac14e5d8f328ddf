package dev.sofim.optim.dl4j;

import dev.sofim.optim.Scope;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes DL4J's updater-block grouping match each {@link Dl4jSofim}'s {@link Scope}, and checks it.
 *
 * <p>DL4J runs one {@code GradientUpdater} per block of consecutive parameters with
 * {@code equals()} updater configs. {@link Scope#GLOBAL}: every layer carries the same config, so
 * DL4J forms one block (verified: a layer with another updater, or a frozen or no-op parameter in
 * between, splits it, and {@link #verify} then fails rather than silently going block-diagonal).
 * {@link Scope#PER_LAYER}: each layer's config (and bias config) gets the layer's name as block
 * tag. {@link Scope#PER_TENSOR}: weights and biases get different tags; a layer with several
 * non-bias tensors (batch norm's γ and β) cannot be split this way and fails {@link #verify}.
 */
public final class Dl4jScopes {
    private Dl4jScopes() {
    }

    /** Applies the scopes, builds and initializes the network, and verifies the grouping. */
    public static MultiLayerNetwork network(MultiLayerConfiguration conf) {
        apply(conf);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        verify(net);
        return net;
    }

    /** Applies the scopes, builds and initializes the graph, and verifies the grouping. */
    public static ComputationGraph graph(ComputationGraphConfiguration conf) {
        apply(conf);
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        verify(net);
        return net;
    }

    /** Tags the SOFIM configs of every layer as their scope asks. Idempotent. */
    public static MultiLayerConfiguration apply(MultiLayerConfiguration conf) {
        List<NeuralNetConfiguration> confs = conf.getConfs();
        for (int i = 0; i < confs.size(); i++) {
            tag(confs.get(i).getLayer(), "layer" + i);
        }
        return conf;
    }

    /** Tags the SOFIM configs of every layer vertex as their scope asks. Idempotent. */
    public static ComputationGraphConfiguration apply(ComputationGraphConfiguration conf) {
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv) {
                tag(lv.getLayerConf().getLayer(), e.getKey());
            }
        }
        return conf;
    }

    private static void tag(org.deeplearning4j.nn.conf.layers.Layer layer, String name) {
        if (!(layer instanceof BaseLayer base) || !(base.getIUpdater() instanceof Dl4jSofim sofim)) {
            return;
        }
        switch (sofim.getScope()) {
            case GLOBAL -> {
                base.setIUpdater(sofim.withBlock(""));
                if (base.getBiasUpdater() instanceof Dl4jSofim b) {
                    base.setBiasUpdater(b.withBlock(""));
                }
            }
            case PER_LAYER -> {
                base.setIUpdater(sofim.withBlock(name));
                if (base.getBiasUpdater() instanceof Dl4jSofim b) {
                    base.setBiasUpdater(b.withBlock(name));
                }
            }
            case PER_TENSOR -> {
                base.setIUpdater(sofim.withBlock(name + "/weights"));
                Dl4jSofim bias = base.getBiasUpdater() instanceof Dl4jSofim b ? b : sofim;
                base.setBiasUpdater(bias.withBlock(name + "/bias"));
            }
        }
    }

    /** Checks that DL4J's updater blocks give each SOFIM config the scope it asks for. */
    public static void verify(MultiLayerNetwork net) {
        verify(net.getUpdater(true));
    }

    /** Checks that DL4J's updater blocks give each SOFIM config the scope it asks for. */
    public static void verify(ComputationGraph net) {
        verify(net.getUpdater(true));
    }

    private static void verify(Updater updater) {
        if (!(updater instanceof BaseMultiLayerUpdater<?> multi)) {
            return;
        }
        List<String> globalBlocks = new ArrayList<>();
        for (UpdaterBlock block : multi.getUpdaterBlocks()) {
            if (!(block.getGradientUpdater().getConfig() instanceof Dl4jSofim sofim)) {
                continue;
            }
            List<UpdaterBlock.ParamState> params = block.getLayersAndVariablesInBlock();
            Set<String> layers = new LinkedHashSet<>();
            for (UpdaterBlock.ParamState p : params) {
                layers.add(p.getLayer().getConfig().getLayerName());
            }
            String desc = describe(params);
            switch (sofim.getScope()) {
                case GLOBAL -> globalBlocks.add(desc);
                case PER_LAYER -> {
                    if (layers.size() != 1) {
                        throw new IllegalStateException("Scope PER_LAYER: DL4J grouped several layers into one updater "
                                + "block " + desc + "; call Dl4jScopes.apply(conf) before building the network");
                    }
                }
                case PER_TENSOR -> {
                    if (params.size() != 1) {
                        throw new IllegalStateException("Scope PER_TENSOR: updater block " + desc + " holds "
                                + params.size() + " tensors; DL4J can only split weights from biases (call "
                                + "Dl4jScopes.apply(conf)), so use PER_LAYER for layers with several weight tensors");
                    }
                }
            }
        }
        if (globalBlocks.size() > 1) {
            throw new IllegalStateException("Scope GLOBAL needs one Fisher matrix over all parameters, but DL4J split "
                    + "them into " + globalBlocks.size() + " updater blocks " + globalBlocks + ". DL4J groups "
                    + "consecutive parameters whose updater configs are equal: give every layer the same Dl4jSofim, "
                    + "and no layer in between another updater, or choose Scope.PER_LAYER.");
        }
    }

    private static String describe(List<UpdaterBlock.ParamState> params) {
        List<String> names = new ArrayList<>();
        for (UpdaterBlock.ParamState p : params) {
            names.add(p.getLayer().getConfig().getLayerName() + "." + p.getParamName());
        }
        return names.toString();
    }

    /**
     * Checks a SameDiff training config: SameDiff calls one updater per trainable variable, so a
     * SOFIM config there has per-tensor scope; GLOBAL is rejected when there is more than one.
     */
    public static void checkSameDiff(SameDiff sd, TrainingConfig config) {
        if (config.getUpdater() instanceof Dl4jSofim sofim && sofim.getScope() != Scope.PER_TENSOR) {
            long trainable = sd.variables().stream().filter(v -> v.getVariableType()
                    == org.nd4j.autodiff.samediff.VariableType.VARIABLE).count();
            if (trainable > 1) {
                throw new IllegalArgumentException("SameDiff applies the updater to each of its " + trainable
                        + " trainable variables separately, so scope " + sofim.getScope()
                        + " cannot be honoured; use Scope.PER_TENSOR");
            }
        }
    }
}
