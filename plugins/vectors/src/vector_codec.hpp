// Vectors as stored in clip_embeddings.vector: float32 little-endian, L2-normalised, base64 text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vectors {

/// Base64 (RFC 4648, padded) of the float32 little-endian bytes.
std::string encodeVector(const std::vector<float>& values);

/// The inverse of encodeVector; throws std::invalid_argument on bad base64 or a length that is not
/// `dimension` floats (dimension 0: any whole number of floats).
std::vector<float> decodeVector(std::string_view text, std::size_t dimension = 0);

/// Scales to unit length; returns false (and leaves the vector alone) for a zero or non-finite vector.
bool normalise(std::vector<float>& values);

float dot(const float* a, const float* b, std::size_t n);

/// Element-wise mean of equally long vectors, normalised; empty when there is none.
std::vector<float> meanNormalised(const std::vector<std::vector<float>>& vectors);

}  // namespace vectors
