package io.parley.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Results: one JSON object per row (a scenario's figure or one step of a rate search), printed as a
 * table on stdout and appended as JSON lines to a file. Every row also carries the machine load.
 */
final class Report {
  private final PrintStream out;
  private static final int LONE_ROW_MAX_COLUMNS = 12;

  private final Path jsonLines;
  private final List<JsonObject> rows = new ArrayList<>();

  Report(PrintStream out, Path jsonLines) {
    this.out = out;
    this.jsonLines = jsonLines;
  }

  /** Adds a row, stamped with the time and /proc/loadavg, and writes its JSON line right away. */
  JsonObject row(JsonObject row) {
    JsonObject stamped = row.copy().put("at", Instant.now().toString()).put("loadavg", ServerProbe.loadavg());
    rows.add(stamped);
    if (jsonLines != null) {
      try {
        if (jsonLines.getParent() != null) {
          Files.createDirectories(jsonLines.getParent());
        }
        Files.writeString(jsonLines, stamped.encode() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        out.println("could not append to " + jsonLines + ": " + e.getMessage());
      }
    }
    return stamped;
  }

  List<JsonObject> rows() {
    return rows;
  }

  void note(String line) {
    out.println("# " + line);
  }

  /**
   * The rows as tables, one per kind of row (its {@code scenario}, in order of first appearance) so
   * that a summary's columns do not widen its steps' table: one column per key, in first-seen order;
   * nested objects as {@code key=value} lists.
   */
  void printTable() {
    Map<String, List<JsonObject>> byKind = new LinkedHashMap<>();
    for (JsonObject row : rows) {
      byKind.computeIfAbsent(String.valueOf(row.getValue("scenario")), k -> new ArrayList<>()).add(row);
    }
    boolean first = true;
    for (List<JsonObject> kind : byKind.values()) {
      if (!first) {
        out.println();
      }
      first = false;
      printTable(kind);
    }
  }

  private void printTable(List<JsonObject> rows) {
    List<String> columns = new ArrayList<>();
    for (JsonObject row : rows) {
      for (String key : row.fieldNames()) {
        if (!columns.contains(key) && !key.equals("at")) {
          columns.add(key);
        }
      }
    }
    if (rows.size() == 1 && columns.size() > LONE_ROW_MAX_COLUMNS) {
      // A lone wide row (a run's verdict) reads better as a list than as a table wider than the screen.
      for (String column : columns) {
        out.println(column + ": " + format(rows.get(0).getValue(column)));
      }
      return;
    }
    List<List<String>> cells = new ArrayList<>();
    int[] widths = new int[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      widths[c] = columns.get(c).length();
    }
    for (JsonObject row : rows) {
      List<String> line = new ArrayList<>();
      for (int c = 0; c < columns.size(); c++) {
        String cell = format(row.getValue(columns.get(c)));
        widths[c] = Math.max(widths[c], cell.length());
        line.add(cell);
      }
      cells.add(line);
    }
    StringBuilder header = new StringBuilder();
    for (int c = 0; c < columns.size(); c++) {
      header.append(String.format("%-" + widths[c] + "s  ", columns.get(c)));
    }
    out.println(header.toString().stripTrailing());
    for (List<String> line : cells) {
      StringBuilder sb = new StringBuilder();
      for (int c = 0; c < line.size(); c++) {
        sb.append(String.format("%-" + widths[c] + "s  ", line.get(c)));
      }
      out.println(sb.toString().stripTrailing());
    }
  }

  private static String format(Object value) {
    if (value == null) {
      return "-";
    }
    if (value instanceof Double d) {
      return d >= 100 ? String.format("%.0f", d) : String.format("%.2f", d);
    }
    if (value instanceof JsonObject json) {
      StringBuilder sb = new StringBuilder();
      for (Map.Entry<String, Object> e : json) {
        sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue());
      }
      return sb.toString();
    }
    return String.valueOf(value);
  }
}
