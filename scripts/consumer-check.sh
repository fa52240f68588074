#!/usr/bin/env bash
# Builds a throwaway consumer project against the installed g2g-layers, the way a DL4J user would use it:
# a pom with only org.g2gnet:g2g-layers and an ND4J backend, one class that trains a G2G layer with Hebbian
# rewiring. Then checks the promise "g2g-layers depends on deeplearning4j-nn and ND4J only": the consumer's
# resolved artifacts are those of a project depending on deeplearning4j-nn directly, plus g2g-layers itself.
#   scripts/consumer-check.sh            (installs g2g-layers into the local Maven repository first)
#   MVN_ARGS=-o scripts/consumer-check.sh   (offline, when the dependencies are already there)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mvn_args="${MVN_ARGS:-}"
version="$(sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' "$root/pom.xml" | head -1)"
dl4j="$(sed -n 's:.*<dl4j.version>\(.*\)</dl4j.version>.*:\1:p' "$root/pom.xml")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "consumer-check: installing g2g-layers $version into the local Maven repository"
(cd "$root" && mvn -B -q $mvn_args -DskipTests -pl g2g-layers -am install)

pom() {  # $1: dependency block of the library under test
  cat <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId><artifactId>consumer</artifactId><version>1</version>
  <properties><maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
  <dependencies>
    $1
    <dependency><groupId>org.nd4j</groupId><artifactId>nd4j-native</artifactId><version>$dl4j</version></dependency>
    <dependency><groupId>org.nd4j</groupId><artifactId>nd4j-native</artifactId><version>$dl4j</version>
      <classifier>linux-x86_64</classifier></dependency>
  </dependencies>
  <build><pluginManagement><plugins>
    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>
  </plugins></pluginManagement></build>
</project>
POM
}

mkdir -p "$work/consumer/src/main/java/example" "$work/reference"
pom "<dependency><groupId>org.g2gnet</groupId><artifactId>g2g-layers</artifactId><version>$version</version></dependency>" \
  > "$work/consumer/pom.xml"
pom "<dependency><groupId>org.deeplearning4j</groupId><artifactId>deeplearning4j-nn</artifactId><version>$dl4j</version></dependency>" \
  > "$work/reference/pom.xml"
cat > "$work/consumer/src/main/java/example/Main.java" <<'JAVA'
package example;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.g2gnet.G2GNetworks;
import org.g2gnet.conf.G2GDenseLayer;
import org.g2gnet.rewiring.GrowthCriterion;
import org.g2gnet.rewiring.PruneCriterion;
import org.g2gnet.rewiring.RewiringListener;
import org.g2gnet.topology.Grouping;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A user's first G2G network: learns which of 4 blobs a point comes from. */
public class Main {
    public static void main(String[] args) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-2)).list()
                .layer(new G2GDenseLayer.Builder().nIn(16).nOut(64).activation(Activation.RELU).groups(4)
                        .pInter(0.2).grouping(Grouping.INDEX).inputGrouping(Grouping.INDEX).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        RewiringListener rewiring = RewiringListener.builder().everyIterations(20).fraction(0.1)
                .prune(PruneCriterion.MAGNITUDE).grow(GrowthCriterion.HEBBIAN).seed(1).build();
        net.addListeners(rewiring);
        INDArray y = Nd4j.zeros(256, 4);
        INDArray x = Nd4j.randn(256, 16);
        for (int i = 0; i < 256; i++) {
            int c = i % 4;
            y.putScalar(i, c, 1);
            x.putScalar(i, c, x.getDouble(i, c) + 4);
        }
        double before = net.score(new org.nd4j.linalg.dataset.DataSet(x, y));
        for (int i = 0; i < 100; i++) {
            net.fit(x, y);
        }
        double after = net.score(new org.nd4j.linalg.dataset.DataSet(x, y));
        System.out.println(G2GNetworks.sparsityReport(net));
        System.out.printf("loss %.4f -> %.4f, %d rewiring events%n", before, after, rewiring.events().size());
        if (!(after < before / 2) || rewiring.events().isEmpty()) {
            throw new AssertionError("the G2G network did not train or rewire");
        }
    }
}
JAVA

echo "consumer-check: building and running the consumer project"
(cd "$work/consumer" && mvn -B -q $mvn_args -Djavacpp.platform=linux-x86_64 compile dependency:build-classpath \
  -Dmdep.outputFile=cp.txt -Dmdep.includeScope=runtime && \
  java -cp "target/classes:$(cat cp.txt)" example.Main)

echo "consumer-check: comparing its dependencies with deeplearning4j-nn's"
list() {
  (cd "$1" && mvn -B -q $mvn_args -Djavacpp.platform=linux-x86_64 dependency:list -DoutputFile=deps.txt \
    -DexcludeTransitive=false >/dev/null && grep -E '^ +[^ ]+:[^ ]+:' deps.txt | sed 's/ -- .*//; s/ //g' | sort)
}
extra="$(comm -23 <(list "$work/consumer") <(list "$work/reference"))"
if [[ "$extra" != "org.g2gnet:g2g-layers:jar:$version:compile" ]]; then
  echo "consumer-check: FAILED: g2g-layers brings more than deeplearning4j-nn and ND4J:" >&2
  echo "$extra" >&2
  exit 1
fi
echo "consumer-check: passed (g2g-layers adds only itself to a deeplearning4j-nn project)"
