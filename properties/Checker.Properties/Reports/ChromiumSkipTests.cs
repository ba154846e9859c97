using Checker.Properties.Support;
using Xunit;

namespace Checker.Properties.Reports;

public class ChromiumSkipTests
{
    [Fact]
    public void WithoutChromiumTheRenderTestIsSkippedWithTheReasonAndHowToInstallIt()
    {
        string? reason = ChromiumFactAttribute.SkipReason(required: false, installed: false);
        Assert.NotNull(reason);
        Assert.Contains("headless Chromium is not installed", reason);
        Assert.Contains("apt-get install -y chromium", reason);
        Assert.Contains("CHECKER_REQUIRE_CHROMIUM=1", reason);
    }

    [Fact]
    public void WhenCiRequiresChromiumTheRenderTestIsNeverSkipped()
    {
        // .ci/run sets CHECKER_REQUIRE_CHROMIUM=1: a missing Chromium then fails the test in Chromium.Require
        Assert.Null(ChromiumFactAttribute.SkipReason(required: true, installed: false));
        Assert.Null(ChromiumFactAttribute.SkipReason(required: true, installed: true));
        Assert.Null(ChromiumFactAttribute.SkipReason(required: false, installed: true));
    }

    [Fact]
    public void TheRenderTestUsesTheChromiumFact()
    {
        var method = typeof(HtmlReportTests).GetMethod(nameof(HtmlReportTests.TheReportRendersInHeadlessChromiumWithEveryLaneAndTheViolatingStep))!;
        Assert.NotNull(method.GetCustomAttributes(typeof(ChromiumFactAttribute), false).SingleOrDefault());
        Assert.Equal(Chromium.Find() is null && !Chromium.Required,
            ((ChromiumFactAttribute)method.GetCustomAttributes(typeof(ChromiumFactAttribute), false)[0]).Skip is not null);
    }
}
