package io.parley.client.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** A text rendering of a captcha image for terminals that cannot show pictures. */
final class ImagePreview {
  private static final String RAMP = " .:-=+*#%@";

  private ImagePreview() {}

  /** Luminance mapped onto characters, {@code columns} wide; a terminal cell is about twice as tall as wide. */
  static String ascii(byte[] png, int columns) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    if (image == null) {
      throw new IOException("not a readable image");
    }
    int cols = Math.min(columns, image.getWidth());
    double cellW = (double) image.getWidth() / cols;
    double cellH = cellW * 2;
    int rows = Math.max(1, (int) (image.getHeight() / cellH));
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        double sum = 0;
        int n = 0;
        for (int y = (int) (r * cellH); y < Math.min(image.getHeight(), (int) ((r + 1) * cellH)); y++) {
          for (int x = (int) (c * cellW); x < Math.min(image.getWidth(), (int) ((c + 1) * cellW)); x++) {
            int rgb = image.getRGB(x, y);
            sum += (0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF)) / 255.0;
            n++;
          }
        }
        double darkness = 1.0 - (n == 0 ? 1.0 : sum / n);
        out.append(RAMP.charAt((int) Math.min(RAMP.length() - 1, darkness * RAMP.length())));
      }
      out.append('\n');
    }
    return out.toString();
  }
}
