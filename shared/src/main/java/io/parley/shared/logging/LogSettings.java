package io.parley.shared.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Applies PARLEY_LOG_LEVEL and PARLEY_LOG_FORMAT on top of the logging configuration a jar ships
 * ({@code logback-parley.xml}: INFO, library chatter at WARN). Called first thing by every main, before
 * the first line worth reading is logged. Needs Logback at run time (every Parley jar has it); under
 * another SLF4J backend it only validates the settings.
 */
public final class LogSettings {
  private LogSettings() {}

  /** Throws IllegalArgumentException naming the setting when a value cannot be read. */
  public static void apply(ParleyConfig config) {
    LogLevels levels;
    try {
      levels = LogLevels.parse(config.get(ConfigKey.LOG_LEVEL), "INFO");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ConfigKey.LOG_LEVEL.env() + ": " + e.getMessage(), e);
    }
    boolean json = switch (config.get(ConfigKey.LOG_FORMAT).toLowerCase(Locale.ROOT)) {
      case "text" -> false;
      case "json" -> true;
      default -> throw new IllegalArgumentException(
          ConfigKey.LOG_FORMAT.env() + ": '" + config.get(ConfigKey.LOG_FORMAT) + "' is neither text nor json");
    };
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(levels.root()));
    levels.packages().forEach((name, level) -> context.getLogger(name).setLevel(Level.toLevel(level)));
    if (json) {
      for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
        if (it.next() instanceof OutputStreamAppender<ILoggingEvent> stream) {
          writeJson(context, stream);
        }
      }
    }
  }

  /**
   * One JSON object per line, for Kubernetes log collectors: timestamp (epoch ms), level, thread,
   * logger, the formatted message, MDC and the throwable. Logback's raw message template and its
   * arguments are left out: the formatted message already carries them once.
   */
  private static void writeJson(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    appender.stop();
    appender.setEncoder(encoder);
    appender.start();
  }
}
