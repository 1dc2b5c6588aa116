package io.parley.k8s;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates the rendered NetworkPolicies the way a CNI enforces ingress: a pod selected by no
 * policy accepts everything; a selected pod accepts what some rule of a selecting policy allows.
 * A source is a pod of this namespace (its labels) or {@link #OUTSIDE} (anything else).
 */
final class Reachability {
  /** A client, or a pod of another namespace. */
  static final Map<String, String> OUTSIDE = null;

  private final List<NetworkPolicy> policies;

  Reachability(List<NetworkPolicy> policies) {
    this.policies = policies;
  }

  boolean allowed(Map<String, String> source, Map<String, String> target, ContainerPort port) {
    List<NetworkPolicy> selecting =
        policies.stream().filter(p -> isIngress(p) && Rendered.matches(p.getSpec().getPodSelector(), target)).toList();
    if (selecting.isEmpty()) {
      return true;
    }
    for (NetworkPolicy policy : selecting) {
      for (NetworkPolicyIngressRule rule : nullToEmpty(policy.getSpec().getIngress())) {
        if (portMatches(rule.getPorts(), port) && sourceMatches(rule.getFrom(), source)) {
          return true;
        }
      }
    }
    return false;
  }

  /** A policy that selects every pod and allows nothing: the namespace starts closed. */
  boolean hasDefaultDeny() {
    return policies.stream()
        .anyMatch(p -> isIngress(p)
            && isEmpty(p.getSpec().getPodSelector())
            && nullToEmpty(p.getSpec().getIngress()).isEmpty());
  }

  private static boolean isEmpty(io.fabric8.kubernetes.api.model.LabelSelector s) {
    return s != null
        && (s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
        && (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty());
  }

  private static boolean isIngress(NetworkPolicy p) {
    List<String> types = p.getSpec().getPolicyTypes();
    return types == null || types.isEmpty() || types.contains("Ingress");
  }

  private static boolean portMatches(List<NetworkPolicyPort> ports, ContainerPort port) {
    if (ports == null || ports.isEmpty()) {
      return true;
    }
    String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
    for (NetworkPolicyPort p : ports) {
      String ruleProtocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
      if (!ruleProtocol.equals(protocol)) {
        continue;
      }
      IntOrString ref = p.getPort();
      if (ref == null) {
        return true;
      }
      if (ref.getStrVal() != null) {
        if (ref.getStrVal().equals(port.getName())) {
          return true;
        }
      } else {
        int low = ref.getIntVal();
        int high = p.getEndPort() == null ? low : p.getEndPort();
        if (port.getContainerPort() >= low && port.getContainerPort() <= high) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean sourceMatches(List<NetworkPolicyPeer> from, Map<String, String> source) {
    if (from == null || from.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPeer peer : from) {
      if (peer.getIpBlock() != null) {
        // An address range may hold anything; count it as open to the outside (and to our pods).
        return true;
      }
      if (peer.getNamespaceSelector() != null) {
        // Other namespaces (and, when it selects this one, ours).
        if (source == OUTSIDE || peer.getPodSelector() == null || Rendered.matches(peer.getPodSelector(), source)) {
          return true;
        }
        continue;
      }
      if (source != OUTSIDE && Rendered.matches(Objects.requireNonNull(peer.getPodSelector()), source)) {
        return true;
      }
    }
    return false;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
