package io.parley.auth.captcha;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Draws the image captcha: {@link #LENGTH} characters of {@link VectorFont#ALPHABET}, each rotated,
 * sheared, scaled and offset on its own, the whole text bent by a wave field, crossed by curves of the
 * same ink nearly as thick as the strokes, sprinkled with dots, encoded as PNG. JDK only, headless,
 * no fonts.
 *
 * <p>What it protects against: scripted signups by bots that cannot read images; the per-glyph
 * transforms, touching glyphs and crossing curves defeat simple segment-then-classify OCR. It does not
 * stop a determined attacker with a trained model or a solving service; {@link CaptchaKind#POW} and
 * the rate limits are the other layers.
 */
final class ImageCaptcha {
  static final int WIDTH = 200;
  static final int HEIGHT = 70;
  static final int LENGTH = 6;
  /** Longest straight piece before the wave field bends it: short enough that lines come out wavy. */
  private static final double SEGMENT = 2.5;

  static {
    // No display on a server: AWT must not try to open one.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    // PNG encoding in memory, no temp files.
    ImageIO.setUseCache(false);
  }

  private ImageCaptcha() {
  }

  /** {@link #LENGTH} characters of the alphabet, from a cryptographic source (the answer must not be guessable). */
  static String randomText(SecureRandom random) {
    char[] text = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      text[i] = VectorFont.ALPHABET.charAt(random.nextInt(VectorFont.ALPHABET.length()));
    }
    return new String(text);
  }

  /**
   * The PNG for {@code text}. {@code seed} drives only the geometry and colours; knowing it does not
   * reveal the text, but callers still draw it from a SecureRandom.
   */
  static byte[] render(String text, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(new Color(between(random, 228, 252), between(random, 228, 252), between(random, 228, 252)));
      g.fillRect(0, 0, WIDTH, HEIGHT);

      Wave wave = new Wave(random);
      // One ink for glyphs and crossing curves (each a slight variation of it), so separating the text
      // from the curves by colour does not work.
      Color ink = darkColor(random);
      drawDots(g, random, 90);

      double slot = (WIDTH - 20.0) / text.length();
      double x = 10 + slot / 2 + random.nextDouble(-3, 3);
      for (char c : text.toCharArray()) {
        double scale = random.nextDouble(2.3, 2.7);
        AffineTransform at = new AffineTransform();
        at.translate(x + random.nextDouble(-2.5, 2.5), HEIGHT / 2.0 + random.nextDouble(-6, 6));
        at.rotate(random.nextDouble(-0.3, 0.3));
        at.shear(random.nextDouble(-0.25, 0.25), 0);
        at.scale(scale * random.nextDouble(0.85, 1.05), scale);
        at.translate(-VectorFont.WIDTH / 2, -VectorFont.HEIGHT / 2);
        g.setColor(near(ink, random));
        g.setStroke(new BasicStroke((float) random.nextDouble(2.8, 3.4), BasicStroke.CAP_ROUND,
            BasicStroke.JOIN_ROUND));
        g.draw(wave.bend(VectorFont.glyph(c), at));
        x += slot + random.nextDouble(-2.5, 1.5);
      }

      // Crossing curves in the text's ink, a little thinner than the glyph strokes (so a human tells
      // them apart) but close enough that a filter removing them eats the glyphs too; they join
      // neighbouring glyphs, so "split at the gaps" fails.
      int curves = 2;
      for (int i = 0; i < curves; i++) {
        Path2D.Double curve = new Path2D.Double();
        curve.moveTo(random.nextDouble(-10, 30), random.nextDouble(8, HEIGHT - 8));
        curve.curveTo(random.nextDouble(40, 90), random.nextDouble(-20, HEIGHT + 20),
            random.nextDouble(110, 160), random.nextDouble(-20, HEIGHT + 20),
            random.nextDouble(170, WIDTH + 10), random.nextDouble(8, HEIGHT - 8));
        g.setColor(near(ink, random));
        g.setStroke(new BasicStroke((float) random.nextDouble(1.3, 2.0), BasicStroke.CAP_ROUND,
            BasicStroke.JOIN_ROUND));
        g.draw(wave.bend(curve, new AffineTransform()));
      }
      drawDots(g, random, 110);
    } finally {
      g.dispose();
    }
    return png(image);
  }

  private static void drawDots(Graphics2D g, SplittableRandom random, int count) {
    for (int i = 0; i < count; i++) {
      double r = random.nextDouble(0.6, 1.7);
      g.setColor(random.nextBoolean() ? darkColor(random)
          : new Color(between(random, 120, 220), between(random, 120, 220), between(random, 120, 220)));
      g.fill(new Ellipse2D.Double(random.nextDouble(WIDTH), random.nextDouble(HEIGHT), 2 * r, 2 * r));
    }
  }

  private static Color darkColor(SplittableRandom random) {
    return new Color(between(random, 10, 110), between(random, 10, 110), between(random, 10, 110));
  }

  private static Color near(Color ink, SplittableRandom random) {
    return new Color(Math.max(0, ink.getRed() + between(random, -12, 12)),
        Math.max(0, ink.getGreen() + between(random, -12, 12)),
        Math.max(0, ink.getBlue() + between(random, -12, 12)));
  }

  private static int between(SplittableRandom random, int min, int maxInclusive) {
    return random.nextInt(min, maxInclusive + 1);
  }

  private static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("the JDK has no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A smooth displacement field: two sine waves across each axis, one field per image. */
  private static final class Wave {
    private final double ax;
    private final double fx;
    private final double px;
    private final double ay;
    private final double fy;
    private final double py;

    Wave(SplittableRandom random) {
      ax = random.nextDouble(2.0, 4.0);
      fx = random.nextDouble(0.07, 0.13);
      px = random.nextDouble(2 * Math.PI);
      ay = random.nextDouble(3.0, 6.0);
      fy = random.nextDouble(0.03, 0.06);
      py = random.nextDouble(2 * Math.PI);
    }

    /** {@code shape} transformed by {@code at}, cut into short pieces, each point displaced. */
    Shape bend(Shape shape, AffineTransform at) {
      Path2D.Double out = new Path2D.Double();
      double[] c = new double[6];
      double lastX = 0;
      double lastY = 0;
      for (PathIterator it = shape.getPathIterator(at, 0.25); !it.isDone(); it.next()) {
        int type = it.currentSegment(c);
        if (type == PathIterator.SEG_MOVETO) {
          out.moveTo(dx(c[0], c[1]), dy(c[0], c[1]));
        } else if (type == PathIterator.SEG_LINETO) {
          int pieces = (int) Math.ceil(Math.hypot(c[0] - lastX, c[1] - lastY) / SEGMENT);
          for (int i = 1; i <= pieces; i++) {
            double x = lastX + (c[0] - lastX) * i / pieces;
            double y = lastY + (c[1] - lastY) * i / pieces;
            out.lineTo(dx(x, y), dy(x, y));
          }
        }
        // Glyphs and noise curves are open paths: no SEG_CLOSE to handle.
        lastX = c[0];
        lastY = c[1];
      }
      return out;
    }

    private double dx(double x, double y) {
      return x + ax * Math.sin(y * fx + px);
    }

    private double dy(double x, double y) {
      return y + ay * Math.sin(x * fy + py);
    }
  }
}
