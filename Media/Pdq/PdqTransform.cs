namespace Lineage.Media.Pdq;

/// <summary>The eight rotations and flips of an image (the dihedral group of the square) whose PDQ hashes come from one DCT.</summary>
/// <remarks>Names and order follow the PDQ reference: flip X mirrors top to bottom, flip Y left to right, flip +1 transposes about the
/// main diagonal and flip −1 about the anti-diagonal.</remarks>
public enum PdqTransform
{
    /// <summary>The image as given.</summary>
    Original = 0,

    /// <summary>Rotated 90° (counter-clockwise in the reference test images).</summary>
    Rotate90 = 1,

    /// <summary>Rotated 180°.</summary>
    Rotate180 = 2,

    /// <summary>Rotated 270°.</summary>
    Rotate270 = 3,

    /// <summary>Mirrored top to bottom.</summary>
    FlipX = 4,

    /// <summary>Mirrored left to right.</summary>
    FlipY = 5,

    /// <summary>Transposed about the main diagonal.</summary>
    FlipPlus1 = 6,

    /// <summary>Transposed about the anti-diagonal.</summary>
    FlipMinus1 = 7,
}
