import Testing
@testable import Notification

/// The dispatcher's metric handles are made once, not asked of the metrics factory at every use.
@Suite struct DispatcherMetricsTests {
    @Test func aHandleIsMadeOncePerLabelChannelAndOutcome() {
        let metrics = DispatcherMetrics()
        for _ in 0..<3 {
            metrics.increment("relance_notifications_total", channel: "email", outcome: "sent")
            metrics.record(.milliseconds(2), in: "relance_notification_send_seconds", channel: "email")
        }
        #expect(metrics.handlesMade == 2)
        metrics.increment("relance_notifications_total", channel: "email", outcome: "failed")
        metrics.increment("relance_notifications_total", channel: "sms", outcome: "sent")
        metrics.record(.milliseconds(1), in: "relance_notification_render_seconds", channel: "email")
        #expect(metrics.handlesMade == 5)
    }
}
