package org.g2gnet.examples.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.g2gnet.examples.train.DstPreset;
import org.g2gnet.examples.train.DstSpec;
import org.g2gnet.examples.train.GroupingChoice;
import org.g2gnet.examples.train.ModelKind;
import org.g2gnet.examples.train.TrainOptions;

/** The models of a comparison (G2GNET.md section 3). */
public enum CompareModel {
    /** Dense MLP of the same widths. */
    DENSE("dense"),
    /** Dense MLP with as many parameters as the G2G network has active ones. */
    DENSE_MATCHED("dense-matched"),
    /** Erdos-Renyi random mask at the G2G density, no groups. */
    ER("er"),
    /** G2G, every layer INDEX, static mask. */
    G2G_INDEX("g2g-index"),
    /** G2G, every layer RANDOM, static mask. */
    G2G_RANDOM("g2g-random"),
    /** G2G Mixer (INDEX / INTERLEAVED alternating), static mask. */
    G2G_MIXER("g2g-mixer"),
    /** G2G Mixer with dynamic sparse training: our default rule ({@link DstPreset#DEFAULT}) or --dst. */
    G2G_MIXER_DST("g2g-mixer-dst"),
    /** G2G Mixer with the paper's Hebbian rule taken literally ({@link DstPreset#PAPER}). */
    G2G_MIXER_PAPER("g2g-mixer-paper"),
    /** G2G Mixer with SET rewiring: magnitude prune, random growth ({@link DstPreset#SET}). */
    G2G_MIXER_SET("g2g-mixer-set");

    /** The models a comparison trains when --models is not given (the variants of the DST study are opt-in). */
    public static final List<CompareModel> DEFAULTS = List.of(DENSE, DENSE_MATCHED, ER, G2G_INDEX, G2G_RANDOM, G2G_MIXER,
            G2G_MIXER_DST);

    private final String id;

    CompareModel(String id) {
        this.id = id;
    }

    /** @return the name used on the command line and in files */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }

    /**
     * @param list comma-separated model names, or "all"
     * @return the models, in the order given
     */
    public static List<CompareModel> parseList(String list) {
        if (list == null || list.isBlank() || list.trim().equalsIgnoreCase("default")) {
            return DEFAULTS;
        }
        if (list.trim().equalsIgnoreCase("all")) {
            return List.of(values());
        }
        List<CompareModel> out = new ArrayList<>();
        for (String s : list.split(",")) {
            String name = s.trim().toLowerCase(Locale.ROOT);
            CompareModel m = null;
            for (CompareModel c : values()) {
                if (c.id.equals(name)) {
                    m = c;
                }
            }
            if (m == null) {
                throw new IllegalArgumentException("Unknown model '" + s.trim() + "' in --models: expected any of "
                        + List.of(values()) + ", default or all");
            }
            if (out.contains(m)) {
                throw new IllegalArgumentException("--models lists '" + m + "' twice");
            }
            out.add(m);
        }
        return out;
    }

    /**
     * The options of this model's run.
     *
     * @param base         the protocol (epochs, batch, lr, data, G2G shape, rewiring period)
     * @param dst          rewiring criteria overriding those of g2g-mixer-dst's default rule, or null
     * @param matchedWidth hidden width of dense-matched
     * @param seed         the run's seed
     * @return the options
     */
    public TrainOptions options(TrainOptions base, DstSpec dst, int matchedWidth, long seed) {
        TrainOptions.Builder b = base.toBuilder().seed(seed).dst(null);
        return switch (this) {
            case DENSE -> b.model(ModelKind.DENSE).build();
            case DENSE_MATCHED -> b.model(ModelKind.DENSE).width(matchedWidth).build();
            case ER -> b.model(ModelKind.ER).build();
            case G2G_INDEX -> b.model(ModelKind.G2G).grouping(GroupingChoice.INDEX).build();
            case G2G_RANDOM -> b.model(ModelKind.G2G).grouping(GroupingChoice.RANDOM).build();
            case G2G_MIXER -> b.model(ModelKind.G2G).grouping(GroupingChoice.MIXER).build();
            case G2G_MIXER_DST -> {
                DstPreset.DEFAULT.applyTo(b.model(ModelKind.G2G).grouping(GroupingChoice.MIXER));
                yield (dst == null ? b : b.dst(dst)).build();
            }
            case G2G_MIXER_PAPER -> DstPreset.PAPER.applyTo(b.model(ModelKind.G2G).grouping(GroupingChoice.MIXER)).build();
            case G2G_MIXER_SET -> DstPreset.SET.applyTo(b.model(ModelKind.G2G).grouping(GroupingChoice.MIXER)).build();
        };
    }
}
