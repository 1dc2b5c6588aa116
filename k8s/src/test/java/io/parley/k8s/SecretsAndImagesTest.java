package io.parley.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Secret templates, the deployment guide's commands, and the images, kept true to each other. */
class SecretsAndImagesTest {
  private static final Path GUIDE = Repo.root().resolve("docs/deploy-k8s.md");

  @Test
  void secretTemplatesHoldPlaceholdersOnly() {
    for (Secret s : Rendered.secretTemplates().all(Secret.class)) {
      assertThat(s.getData()).as("%s: use stringData placeholders, never data", Rendered.id(s)).isNullOrEmpty();
      s.getStringData().forEach((key, value) -> {
        assertThat(value).as("%s key %s", Rendered.id(s), key).contains("REPLACE-ME").doesNotContain("-----BEGIN");
      });
    }
  }

  @Test
  void theGuideCreatesEverySecretTemplateWithEveryKey() {
    String guide = Repo.read(GUIDE).replace("\\\n", " ");
    for (Secret s : Rendered.secretTemplates().all(Secret.class)) {
      String name = s.getMetadata().getName();
      Matcher m = Pattern.compile("kubectl[^\\n]* create secret generic " + Pattern.quote(name) + "\\b[^\\n]*").matcher(guide);
      assertThat(m.find()).as("docs/deploy-k8s.md has `kubectl create secret generic %s`", name).isTrue();
      for (String key : Rendered.keys(s)) {
        assertThat(m.group()).as("the command creating %s sets key %s", name, key)
            .containsPattern("--from-(file|literal)=" + Pattern.quote(key) + "=");
      }
    }
  }

  @Test
  void everySecretProdNeedsIsATemplate() {
    Set<String> templates = new TreeSet<>();
    Rendered.secretTemplates().all(Secret.class).forEach(s -> templates.add(s.getMetadata().getName()));
    Set<String> referenced = new TreeSet<>();
    Rendered prod = Overlays.get("prod");
    for (Deployment d : prod.all(Deployment.class)) {
      var pod = d.getSpec().getTemplate().getSpec();
      if (pod.getVolumes() != null) {
        pod.getVolumes().stream().filter(v -> v.getSecret() != null).forEach(v -> referenced.add(v.getSecret().getSecretName()));
      }
      for (Container c : Rendered.containers(d)) {
        if (c.getEnv() != null) {
          c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
              .forEach(e -> referenced.add(e.getValueFrom().getSecretKeyRef().getName()));
        }
      }
    }
    assertThat(referenced).isNotEmpty();
    assertThat(templates).containsAll(referenced);
  }

  @Test
  void theGuideAndImagesNameOnlyRealSettings() {
    for (Path file : new Path[] {GUIDE, Repo.k8s().resolve("images/Dockerfile"), Repo.k8s().resolve("images/build.sh")}) {
      Set<String> unknown = new TreeSet<>(ParleySettings.mentionedIn(Repo.read(file)));
      unknown.removeAll(ParleySettings.known());
      assertThat(unknown).as("unknown PARLEY_* names in %s", file).isEmpty();
    }
  }

  @Test
  void everyImageIsBuiltFromTheJarItsModuleProduces() {
    Map<String, String> images = new LinkedHashMap<>();
    Matcher m = Pattern.compile("\"(parley-[a-z]+)=([^\"]+)\"").matcher(Repo.read(Repo.k8s().resolve("images/build.sh")));
    while (m.find()) {
      images.put(m.group(1), m.group(2));
    }
    assertThat(images).containsOnlyKeys("parley-auth", "parley-room", "parley-message", "parley-gateway", "parley-standalone");
    String ignore = Repo.read(Repo.k8s().resolve("images/Dockerfile.dockerignore"));
    images.forEach((image, jar) -> {
      Path path = Path.of(jar);
      Path pom = Repo.root().resolve(path.getName(0)).resolve("pom.xml");
      assertThat(Files.isRegularFile(pom)).as("%s: module %s has a pom.xml", image, path.getName(0)).isTrue();
      Matcher name = Pattern.compile("<runnable.jar.name>([^<]+)</runnable.jar.name>").matcher(Repo.read(pom));
      assertThat(name.find()).as("%s declares runnable.jar.name", pom).isTrue();
      assertThat(path.getFileName().toString()).as(image).isEqualTo(name.group(1) + ".jar");
      assertThat(path.getName(1).toString()).isEqualTo("target");
      assertThat(ignore).as("Dockerfile.dockerignore lets %s into the build context", jar).contains("!" + jar);
    });
    for (String overlay : Overlays.names()) {
      for (Deployment d : Overlays.get(overlay).all(Deployment.class)) {
        for (Container c : Rendered.containers(d)) {
          if (Rendered.isParley(c)) {
            assertThat(images).as("%s %s image", overlay, Rendered.id(d)).containsKey(Rendered.imageName(c.getImage()));
          }
        }
      }
    }
  }

  @Test
  void theImageRunsJava17AsANonRootUser() {
    String dockerfile = Repo.read(Repo.k8s().resolve("images/Dockerfile"));
    assertThat(dockerfile).containsPattern("(?m)^FROM eclipse-temurin:17[.0-9_]*-jre");
    Matcher user = Pattern.compile("(?m)^USER\\s+(\\d+)").matcher(dockerfile);
    assertThat(user.find()).as("a numeric USER (Kubernetes can only verify runAsNonRoot for those)").isTrue();
    assertThat(Long.parseLong(user.group(1))).isPositive();
  }
}
