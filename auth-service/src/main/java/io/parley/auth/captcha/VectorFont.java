package io.parley.auth.captcha;

import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small built-in stroke font for the image captcha: each glyph is an open path (lines and cubic
 * curves) in a 10 × 14 box, y down, baseline at 14. Drawn with a stroke, never filled.
 *
 * <p>Why not {@code Font}: a server image with only a JDK may have no system fonts at all (the JDK's
 * font lookup then fails at the first drawString), and a captcha rendered from a well-known font is
 * easier for OCR. These shapes need nothing but {@code java.awt.geom}.
 */
final class VectorFont {
  static final double WIDTH = 10;
  static final double HEIGHT = 14;

  /** Path syntax: {@code M x y} move, {@code L x y} line, {@code C x1 y1 x2 y2 x y} cubic curve. */
  private static final Map<Character, String> OUTLINES = Map.ofEntries(
      Map.entry('A', "M0 14 L5 0 L10 14 M2.2 8.6 L7.8 8.6"),
      Map.entry('B', "M1 7 L1 0 L5.5 0 C9 0 9 7 5.5 7 L1 7 L1 14 L6 14 C10 14 10 7 6 7"),
      Map.entry('C', "M9.5 2.5 C7 -1 0 -0.5 0 7 C0 14.5 7 15 9.5 11.5"),
      Map.entry('D', "M1 0 L1 14 L4 14 C11 14 11 0 4 0 L1 0"),
      Map.entry('E', "M9 0 L1 0 L1 14 L9 14 M1 7 L7 7"),
      Map.entry('F', "M9 0 L1 0 L1 14 M1 7 L7 7"),
      Map.entry('H', "M1 0 L1 14 M9 0 L9 14 M1 7 L9 7"),
      Map.entry('J', "M3 0 L9 0 M7 0 L7 10 C7 15 1 15 0.5 10.5"),
      Map.entry('K', "M1 0 L1 14 M9 0 L1 8.5 M4 5.5 L9.5 14"),
      Map.entry('M', "M0.5 14 L1 0 L5 9 L9 0 L9.5 14"),
      Map.entry('N', "M1 14 L1 0 L9 14 L9 0"),
      Map.entry('P', "M1 14 L1 0 L6 0 C10 0 10 7.5 6 7.5 L1 7.5"),
      Map.entry('R', "M1 14 L1 0 L6 0 C10 0 10 7.5 6 7.5 L1 7.5 M5 7.5 L9.5 14"),
      Map.entry('T', "M0 0 L10 0 M5 0 L5 14"),
      Map.entry('U', "M1 0 L1 9 C1 15 9 15 9 9 L9 0"),
      Map.entry('V', "M0 0 L5 14 L10 0"),
      Map.entry('W', "M0 0 L2.5 14 L5 4 L7.5 14 L10 0"),
      Map.entry('X', "M0.5 0 L9.5 14 M9.5 0 L0.5 14"),
      Map.entry('Y', "M0 0 L5 7 L10 0 M5 7 L5 14"),
      Map.entry('3', "M1 2 C3 -1 9 -0.5 9 3.5 C9 6 7 7 4.5 7 C7.5 7 9.5 8.5 9.5 10.5 C9.5 15 2.5 15 0.5 11.5"),
      Map.entry('4', "M7 14 L7 0 L0 10 L10 10"),
      Map.entry('6', "M8.5 1 C4 -0.5 0.5 3 0.5 9 C0.5 15.5 9.5 15.5 9.5 10 C9.5 5.5 3 5.5 0.8 9.5"),
      Map.entry('7', "M0.5 0 L9.5 0 L4 14"),
      Map.entry('9', "M9.3 5 C9.3 -1.5 0.5 -1.5 0.5 5 C0.5 10 9.3 10 9.3 5 L8 14"));

  /**
   * The characters a captcha uses: upper case only (answers are compared case-insensitively), and
   * no pair a human confuses once distorted: 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B and 6/G each keep at most
   * one member. 24 symbols, 6 of them: 1.9·10^8 answers.
   */
  static final String ALPHABET = "ABCDEFHJKMNPRTUVWXY34679";

  private static final Pattern TOKEN = Pattern.compile("[MLC]|-?[0-9]+(?:\\.[0-9]+)?");
  private static final Map<Character, Path2D.Double> GLYPHS = parseAll();

  private VectorFont() {
  }

  /** The glyph's path (a copy the caller may transform). */
  static Path2D.Double glyph(char c) {
    Path2D.Double path = GLYPHS.get(c);
    if (path == null) {
      throw new IllegalArgumentException("no glyph for '" + c + "'");
    }
    return (Path2D.Double) path.clone();
  }

  private static Map<Character, Path2D.Double> parseAll() {
    Map<Character, Path2D.Double> glyphs = new HashMap<>();
    for (char c : ALPHABET.toCharArray()) {
      glyphs.put(c, parse(OUTLINES.get(c)));
    }
    return Map.copyOf(glyphs);
  }

  static Path2D.Double parse(String outline) {
    Path2D.Double path = new Path2D.Double();
    List<String> tokens = new ArrayList<>();
    Matcher matcher = TOKEN.matcher(outline);
    while (matcher.find()) {
      tokens.add(matcher.group());
    }
    int i = 0;
    while (i < tokens.size()) {
      switch (tokens.get(i++)) {
        case "M" -> path.moveTo(num(tokens.get(i++)), num(tokens.get(i++)));
        case "L" -> path.lineTo(num(tokens.get(i++)), num(tokens.get(i++)));
        case "C" -> path.curveTo(num(tokens.get(i++)), num(tokens.get(i++)), num(tokens.get(i++)),
            num(tokens.get(i++)), num(tokens.get(i++)), num(tokens.get(i++)));
        default -> throw new IllegalArgumentException("bad glyph outline: " + outline);
      }
    }
    return path;
  }

  private static double num(String token) {
    return Double.parseDouble(token);
  }
}
