import Metrics
import Prometheus

/// Sets up swift-metrics with a Prometheus registry. Call once, from `@main` only.
public enum MetricsBootstrap {
    /// Bootstraps metrics and returns the registry that `/metrics` renders.
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }
}
