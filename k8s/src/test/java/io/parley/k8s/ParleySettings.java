package io.parley.k8s;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PARLEY_* settings the code reads, taken from ConfigKey.java itself so the two cannot drift. */
final class ParleySettings {
  static final Path CONFIG_KEY =
      Repo.root().resolve("shared/src/main/java/io/parley/shared/config/ConfigKey.java");


  static final Pattern NAME = Pattern.compile("PARLEY_[A-Z0-9_]*[A-Z0-9]");
  private static final Pattern DECLARED = Pattern.compile("\"(PARLEY_[A-Z0-9_]+)\"");

  private ParleySettings() {}

  static Set<String> declaredInConfigKey() {
    Set<String> names = new TreeSet<>();
    Matcher m = DECLARED.matcher(Repo.read(CONFIG_KEY));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  static Set<String> known() {
    Set<String> names = new TreeSet<>(declaredInConfigKey());
    return names;
  }

  /** Every PARLEY_* word in a text, e.g. rendered manifests, a Dockerfile or the deployment guide. */
  static Set<String> mentionedIn(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(text);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }
}
