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
import java.util.function.Predicate;

/**
 * Evaluates the rendered NetworkPolicies the way a CNI enforces ingress: a pod selected by no
 * policy accepts everything; a selected pod accepts what some rule of a selecting policy allows.
 * A source is a pod of this namespace (its labels), a pod of another namespace with given namespace
 * labels ({@link #allowedFromNamespace}), or {@link #OUTSIDE}: a client, or a pod of a namespace that
 * carries none of the labels the policies select namespaces by.
 */
final class Reachability {
  /** A client, or a pod of another namespace. */
  static final Map<String, String> OUTSIDE = null;

  private final List<NetworkPolicy> policies;

  Reachability(List<NetworkPolicy> policies) {
    this.policies = policies;
  }

  boolean allowed(Map<String, String> source, Map<String, String> target, ContainerPort port) {
    return source == OUTSIDE
        ? allowedFromNamespace(Map.of(), target, port)
        : admitted(target, port, peer -> admitsLocal(peer, source));
  }

  /** From any pod of another namespace labelled {@code namespaceLabels}. */
  boolean allowedFromNamespace(Map<String, String> namespaceLabels, Map<String, String> target, ContainerPort port) {
    return admitted(target, port, peer -> admitsForeign(peer, namespaceLabels));
  }

  private boolean admitted(Map<String, String> target, ContainerPort port, Predicate<NetworkPolicyPeer> admits) {
    List<NetworkPolicy> selecting =
        policies.stream().filter(p -> isIngress(p) && Rendered.matches(p.getSpec().getPodSelector(), target)).toList();
    if (selecting.isEmpty()) {
      return true;
    }
    for (NetworkPolicy policy : selecting) {
      for (NetworkPolicyIngressRule rule : nullToEmpty(policy.getSpec().getIngress())) {
        List<NetworkPolicyPeer> from = rule.getFrom();
        if (portMatches(rule.getPorts(), port) && (from == null || from.isEmpty() || from.stream().anyMatch(admits))) {
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

  /** A peer that names other namespaces admits their pods whatever their labels (unknown here). */
  private static boolean admitsForeign(NetworkPolicyPeer peer, Map<String, String> namespaceLabels) {
    if (peer.getIpBlock() != null) {
      // An address range may hold anything; count it as open to the outside.
      return true;
    }
    return peer.getNamespaceSelector() != null && Rendered.matches(peer.getNamespaceSelector(), namespaceLabels);
  }

  private static boolean admitsLocal(NetworkPolicyPeer peer, Map<String, String> source) {
    if (peer.getIpBlock() != null) {
      return true;
    }
    if (peer.getNamespaceSelector() != null) {
      // Our own namespace's labels are not rendered: count it as selected.
      return peer.getPodSelector() == null || Rendered.matches(peer.getPodSelector(), source);
    }
    return Rendered.matches(Objects.requireNonNull(peer.getPodSelector()), source);
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
