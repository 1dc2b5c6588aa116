package io.parley.auth.captcha;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageCaptchaTest {
  @Test
  void everyCharacterOfTheAlphabetHasAGlyphInsideItsBox() {
    for (char c : VectorFont.ALPHABET.toCharArray()) {
      // Bounds of the curves themselves, not of their control points.
      Path2D.Double flat = new Path2D.Double();
      flat.append(VectorFont.glyph(c).getPathIterator(null, 0.05), false);
      Rectangle2D bounds = flat.getBounds2D();
      assertThat(bounds.getMinX()).as("%s", c).isGreaterThanOrEqualTo(-1);
      assertThat(bounds.getMaxX()).as("%s", c).isLessThanOrEqualTo(VectorFont.WIDTH + 1);
      assertThat(bounds.getMinY()).as("%s", c).isGreaterThanOrEqualTo(-1);
      assertThat(bounds.getMaxY()).as("%s", c).isLessThanOrEqualTo(VectorFont.HEIGHT + 1);
      assertThat(bounds.getHeight()).as("%s", c).isGreaterThan(10);
    }
  }

  @Test
  void theAlphabetHasNoLookAlikes() {
    assertThat(VectorFont.ALPHABET).doesNotContain("0", "O", "1", "I", "L", "l");
    assertThat(VectorFont.ALPHABET.chars().distinct().count()).isEqualTo(VectorFont.ALPHABET.length());
  }

  @Test
  void theSameTextRendersDifferentlyEachTime() {
    byte[] first = ImageCaptcha.render("ABC346", 1);
    byte[] second = ImageCaptcha.render("ABC346", 2);
    assertThat(first).isNotEqualTo(second);
    assertThat(ImageCaptcha.render("ABC346", 1)).isEqualTo(first);
  }

  @Test
  void theTextIsDrawnDarkOnALightBackground() throws Exception {
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(ImageCaptcha.render("WMKH79", 42)));
    int dark = 0;
    for (int y = 0; y < png.getHeight(); y++) {
      for (int x = 0; x < png.getWidth(); x++) {
        int rgb = png.getRGB(x, y);
        int luma = ((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3;
        if (luma < 128) {
          dark++;
        }
      }
    }
    double share = dark / (double) (png.getWidth() * png.getHeight());
    assertThat(share).isBetween(0.05, 0.45);
  }
}
