using System.Globalization;
using Lineage.Media;
using Lineage.Media.Pdq;

namespace Lineage.Tests.Media;

/// <summary>Our PDQ against the reference implementations' hashes of the same images (ffmpeg decodes slightly differently from their
/// decoders, so the reference suites' own tolerance of 16 bits applies).</summary>
public sealed class PdqConformanceTests(ITestOutputHelper output)
{
    private const int Tolerance = 16;

    [Fact]
    public async Task Every_reference_image_hashes_within_16_bits_of_the_reference()
    {
        var hasher = new ImageHasher();
        var rows = PdqData.Expected();
        var distances = new List<int>();
        var failures = new List<string>();
        foreach (var (image, expected, reference) in rows)
        {
            var result = await hasher.HashFileAsync(Path.Combine(PdqData.Images, image), TestContext.Current.CancellationToken);
            var distance = result.Hash.DistanceTo(PdqHash.Parse(expected));
            distances.Add(distance);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{distance,3}  q={result.Quality,3}  {reference,-9} {image}  {result.Hash}"));
            if (distance > Tolerance)
            {
                failures.Add($"{image} ({reference}): distance {distance}, got {result.Hash}, expected {expected}");
            }
        }

        distances.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rows.Count} images: min {distances[0]}, median {distances[distances.Count / 2]}, max {distances[^1]}, mean {distances.Average():0.0}; " +
            $"exact {distances.Count(d => d == 0)}"));
        Assert.Empty(failures);
        Assert.Equal(33, rows.Count);
    }

    [Fact]
    public async Task Dihedral_hashes_of_the_bridge_match_its_rotated_and_flipped_files()
    {
        var hasher = new ImageHasher();
        var dih = Path.Combine(PdqData.Images, "reg-test-input", "dih");
        var all = await hasher.HashFileDihedralAsync(Path.Combine(dih, "bridge-1-original.jpg"), TestContext.Current.CancellationToken);
        (PdqTransform Transform, string File)[] files =
        [
            (PdqTransform.Original, "bridge-1-original.jpg"),
            (PdqTransform.Rotate90, "bridge-2-rotate-90.jpg"),
            (PdqTransform.Rotate180, "bridge-3-rotate-180.jpg"),
            (PdqTransform.Rotate270, "bridge-4-rotate-270.jpg"),
            (PdqTransform.FlipX, "bridge-5-flipx.jpg"),
            (PdqTransform.FlipY, "bridge-6-flipy.jpg"),
            (PdqTransform.FlipPlus1, "bridge-7-flip-plus-1.jpg"),
            (PdqTransform.FlipMinus1, "bridge-8-flip-minus-1.jpg"),
        ];

        foreach (var (transform, file) in files)
        {
            var actual = await hasher.HashFileAsync(Path.Combine(dih, file), TestContext.Current.CancellationToken);
            var distance = all[transform].DistanceTo(actual.Hash);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{transform,-10} {distance,3}  {file}"));
            Assert.True(distance <= Tolerance, $"{transform}: the dihedral hash is {distance} bits from the hash of {file}");
        }

        // The transforms must really differ, or the comparison above would prove nothing.
        Assert.Equal(8, all.Hashes.Distinct().Count());
        Assert.True(all[PdqTransform.Original].DistanceTo(all[PdqTransform.Rotate90]) > 64);
    }
}
