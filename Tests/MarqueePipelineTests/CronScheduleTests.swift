import MarqueeCore
import Testing

@testable import MarqueePipeline

/// `schedule` in a pipeline: cron syntax as Kubernetes CronJobs and crontab read it.
@Suite struct CronScheduleTests {
    @Test(arguments: ["0 3 * * *", "*/15 * * * *", "0 0 1,15 * MON-FRI", "5 4 * JAN-MAR 0", "0 22 * * 1-5", "@daily", "@hourly"])
    func validSchedules(_ schedule: String) {
        #expect(CronSchedule.problem(schedule) == nil)
    }

    @Test(arguments: [
        ("0 3 * *", "needs 5 fields"), ("60 * * * *", "minute \"60\" is outside 0–59"), ("0 24 * * *", "hour \"24\""),
        ("0 0 0 * *", "day of month \"0\""), ("0 0 * 13 *", "month \"13\""), ("0 0 * * 8", "day of week \"8\""),
        ("*/0 * * * *", "step"), ("5-1 * * * *", "runs backwards"), ("@often", "unknown shorthand"), ("a b c d e", "minute"),
    ])
    func invalidSchedules(_ schedule: String, _ problem: String) {
        #expect(CronSchedule.problem(schedule)?.contains(problem) == true, "\(CronSchedule.problem(schedule) ?? "nil")")
    }

    @Test func aPipelineCarriesItsScheduleAndABadOneNamesTheLine() throws {
        let spec = "name = \"n\"\nschedule = \"0 3 * * *\"\n[dataset]\nname = \"ratings\"\n[train]\nalgorithm = \"svd\"\n"
        #expect(try PipelineSpec.parse(text: spec, path: "p.toml").schedule == "0 3 * * *")
        let error = #expect(throws: MarqueeError.self) {
            try PipelineSpec.parse(text: spec.replacingOccurrences(of: "0 3", with: "0 33"), path: "p.toml")
        }
        #expect(error?.location == "p.toml:2" && error?.message.contains("hour \"33\"") == true, "\(error?.description ?? "")")
    }
}
