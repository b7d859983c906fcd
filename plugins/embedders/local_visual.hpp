// local-visual: a hand-made frame descriptor for image files (thumbnails). It captures colour,
// coarse texture/edge layout and a perceptual hash, i.e. near-duplicate and colour/composition
// similarity; it knows nothing about what is in the picture.
#pragma once

#include <string>
#include <vector>

namespace embedders {

class FrameDescriptor {
public:
    static constexpr size_t kColourBins = 8 * 4 * 4;   // HSV joint histogram
    static constexpr size_t kTextureBins = 2 * 2 * 8;  // 2x2 cells x 8 gradient orientations
    static constexpr size_t kHashBits = 64;            // dHash, as ±1
    static constexpr size_t kDimension = kColourBins + kTextureBins + kHashBits;

    /// "clipdex-frame-descriptor-v1-224".
    static std::string model();
    /// The unit-length descriptor of the image file at `path`. Throws clipdex::Error (CDX_E_IO when the
    /// file cannot be read, CDX_E_INVALID_ARGUMENT when it is not a decodable image).
    static std::vector<float> describe(const std::string& path);
};

}  // namespace embedders
