package org.g2gnet.cli.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.g2gnet.cli.train.Arch;
import org.g2gnet.cli.train.DstPreset;
import org.g2gnet.cli.train.DstSpec;
import org.g2gnet.cli.train.GroupingChoice;
import org.g2gnet.cli.train.ModelKind;
import org.g2gnet.cli.train.TrainOptions;

/** The models of a comparison (docs/DESIGN.md section 3). */
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
    G2G_MIXER_SET("g2g-mixer-set"),
    /** The CNN ({@code --arch cnn}) with DL4J convolutions. */
    CNN_DENSE("cnn-dense", Arch.CNN),
    /** The CNN with G2G convolutions over channel groups, Mixer groupings, static mask. */
    CNN_G2G("cnn-g2g", Arch.CNN),
    /**
     * The CNN with G2G convolutions (Mixer) rewired channel pair by channel pair with our default rule
     * ({@link DstPreset#DEFAULT}: magnitude prune, Hebbian growth, cosine-decayed fraction, no rewiring in the last
     * quarter of training) or --dst.
     */
    CNN_G2G_DST("cnn-g2g-dst", Arch.CNN),
    /** The CNN with an Erdos-Renyi channel mask (one group) at the G2G density. */
    CNN_ER("cnn-er", Arch.CNN);

    /** The models a comparison trains when --models is not given (the variants of the DST study are opt-in). */
    public static final List<CompareModel> DEFAULTS = List.of(DENSE, DENSE_MATCHED, ER, G2G_INDEX, G2G_RANDOM, G2G_MIXER,
            G2G_MIXER_DST);
    /** The models of {@code compare --arch cnn} when --models is not given: the four forms of the CNN. */
    public static final List<CompareModel> CNN_DEFAULTS = List.of(CNN_DENSE, CNN_G2G, CNN_G2G_DST, CNN_ER);

    private final String id;
    private final Arch arch;

    CompareModel(String id) {
        this(id, Arch.MLP);
    }

    CompareModel(String id, Arch arch) {
        this.id = id;
        this.arch = arch;
    }

    /** @return the network family this model belongs to */
    public Arch arch() {
        return arch;
    }

    /**
     * The model the others are compared with: dense, or cnn-dense when only CNNs are compared.
     *
     * @param present the models of a comparison
     * @return the baseline, or null when none is present
     */
    public static CompareModel baseline(Collection<CompareModel> present) {
        return present.contains(DENSE) ? DENSE : present.contains(CNN_DENSE) ? CNN_DENSE : null;
    }

    /**
     * The static G2G model the others are compared with: g2g-mixer, or cnn-g2g when only CNNs are compared.
     *
     * @param present the models of a comparison
     * @return the reference, or null when none is present
     */
    public static CompareModel g2gReference(Collection<CompareModel> present) {
        return present.contains(G2G_MIXER) ? G2G_MIXER : present.contains(CNN_G2G) ? CNN_G2G : null;
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
        return parseList(list, Arch.MLP);
    }

    /**
     * @param list comma-separated model names, "default" or "all"
     * @param arch the family that "default" and "all" mean (any model can be named, whatever its family)
     * @return the models, in the order given
     */
    public static List<CompareModel> parseList(String list, Arch arch) {
        if (list == null || list.isBlank() || list.trim().equalsIgnoreCase("default")) {
            return arch == Arch.CNN ? CNN_DEFAULTS : DEFAULTS;
        }
        if (list.trim().equalsIgnoreCase("all")) {
            return Arrays.stream(values()).filter(m -> m.arch == arch).toList();
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
     * @param dst          rewiring criteria overriding those of the default rule of g2g-mixer-dst and cnn-g2g-dst,
     *                     or null
     * @param matchedWidth hidden width of dense-matched
     * @param seed         the run's seed
     * @return the options
     */
    public TrainOptions options(TrainOptions base, DstSpec dst, int matchedWidth, long seed) {
        TrainOptions.Builder b = base.toBuilder().seed(seed).dst(null).arch(arch);
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
            case CNN_DENSE -> b.model(ModelKind.DENSE).build();
            case CNN_G2G -> b.model(ModelKind.G2G).grouping(GroupingChoice.MIXER).build();
            case CNN_G2G_DST -> {
                DstPreset.DEFAULT.applyTo(b.model(ModelKind.G2G).grouping(GroupingChoice.MIXER));
                yield (dst == null ? b : b.dst(dst)).build();
            }
            case CNN_ER -> b.model(ModelKind.ER).build();
        };
    }
}
