using Lineage.Client.Commands;
using Lineage.Media;

namespace Lineage.Tests.Media;

public sealed class HashCommandTests
{
    [Fact]
    public async Task Each_file_gets_its_hash_or_its_own_error_in_the_order_given()
    {
        var wee = Path.Combine(PdqData.Images, "misc-images", "wee.jpg");
        var missing = Path.Combine(PdqData.Images, "no-such.png");

        var results = await HashCommand.HashAllAsync([missing, wee, wee], dihedral: true, new ImageHasher(), TestContext.Current.CancellationToken);

        Assert.Equal([missing, wee, wee], results.Select(r => r.File));
        Assert.Equal("the file does not exist", results[0].Error);
        Assert.Null(results[0].Hash);
        Assert.Equal(100, results[1].Quality);
        Assert.Equal(64, results[1].Hash!.Length);
        Assert.Equal(8, results[1].Dihedral!.Count);
        Assert.Equal(results[1].Hash, results[1].Dihedral!["Original"]);
    }
}
