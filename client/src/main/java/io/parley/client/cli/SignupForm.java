package io.parley.client.cli;

import io.parley.client.ParleyStatusException;
import io.parley.shared.protocol.BadPacketException;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.SignupFields;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.function.Function;

/**
 * The sign-up questions. Each answer is checked as it is given with the rules the server applies
 * ({@link SignupFields}), and a refused answer is asked again on its own, so a typing mistake never
 * costs the answers already given. The password is asked twice unless it comes from the environment.
 */
final class SignupForm {
  private final ParleyCli.Prompter prompter;
  private final String passwordFromEnv;
  private final Clock clock = Clock.systemUTC();
  private String user;
  private String email;
  private String fullname;
  private LocalDate dob;
  private String password;

  SignupForm(ParleyCli.Prompter prompter, String passwordFromEnv) {
    this.prompter = prompter;
    this.passwordFromEnv = passwordFromEnv;
  }

  void askAll() throws IOException {
    askUser();
    askEmail();
    fullname = ask("Full name: ", SignupFields::fullname);
    dob = ask("Date of birth (YYYY-MM-DD): ", typed -> SignupFields.dob(typed, clock));
    askPassword();
  }

  /**
   * After the server refused the form: says why and asks again only the field it named. False when
   * the refusal is not about one field (the caller reports it).
   */
  boolean askAgainAfter(ParleyStatusException refused, String sentence) throws IOException {
    StatusCode code = refused.code().orElse(null);
    String field = code == StatusCode.USERNAME_TAKEN ? SignupFields.USER
        : code == StatusCode.EMAIL_TAKEN ? SignupFields.EMAIL
        : code == StatusCode.BAD_PACKET && refused.desc() != null && refused.desc().contains(":") ? refused.desc().substring(0, refused.desc().indexOf(':'))
        : null;
    if (field == null) {
      return false;
    }
    prompter.show(sentence);
    switch (field) {
      case SignupFields.USER -> askUser();
      case SignupFields.EMAIL -> askEmail();
      case SignupFields.FULLNAME -> fullname = ask("Full name: ", SignupFields::fullname);
      case SignupFields.DOB -> dob = ask("Date of birth (YYYY-MM-DD): ", typed -> SignupFields.dob(typed, clock));
      case SignupFields.PASSWORD -> askPassword();
      default -> {
        return false;
      }
    }
    return true;
  }

  /** A new username or email may make the password equal to it: then the password is asked again too. */
  private void askUser() throws IOException {
    user = ask("Username: ", SignupFields::user);
    recheckPassword();
  }

  private void askEmail() throws IOException {
    email = ask("Email: ", SignupFields::email);
    recheckPassword();
  }

  private void recheckPassword() throws IOException {
    if (password != null && refusal(() -> SignupFields.password(password, user, email)) != null) {
      prompter.show(refusal(() -> SignupFields.password(password, user, email)));
      askPassword();
    }
  }

  private void askPassword() throws IOException {
    if (passwordFromEnv != null) {
      String why = refusal(() -> SignupFields.password(passwordFromEnv, user, email));
      if (why != null) {
        throw new IllegalArgumentException(why + " (PARLEY_PASSWORD)");
      }
      password = passwordFromEnv;
      return;
    }
    while (true) {
      String first = prompter.secret("Password: ");
      String why = refusal(() -> SignupFields.password(first, user, email));
      if (why != null) {
        prompter.show(why);
        continue;
      }
      if (!first.equals(prompter.secret("Password again: "))) {
        prompter.show("The two passwords differ; type it twice again.");
        continue;
      }
      password = first;
      return;
    }
  }

  private <T> T ask(String prompt, Function<String, T> rule) throws IOException {
    while (true) {
      String typed = prompter.line(prompt);
      try {
        return rule.apply(typed);
      } catch (BadPacketException e) {
        prompter.show(ErrorText.fieldRule(e.field(), e.reason()));
      }
    }
  }

  private static String refusal(Runnable check) {
    try {
      check.run();
      return null;
    } catch (BadPacketException e) {
      return ErrorText.fieldRule(e.field(), e.reason());
    }
  }

  String user() {
    return user;
  }

  String email() {
    return email;
  }

  String fullname() {
    return fullname;
  }

  LocalDate dob() {
    return dob;
  }

  String password() {
    return password;
  }
}
