// Word lists for the search bench's synthetic clips: topics give clusters, general words give noise.
#pragma once

#include <string>
#include <vector>

namespace bench {

inline const std::vector<std::vector<std::string>>& topicWords() {
    static const std::vector<std::vector<std::string>> topics = {
        {"harbor", "boat", "fishermen", "nets", "pier", "dock", "sailors", "tide", "gulls", "anchor", "crane", "cargo",
         "ship", "rope", "lighthouse", "waves", "coast"},
        {"forest", "pine", "deer", "trail", "moss", "trees", "hiker", "branches", "fern", "owl", "creek", "canopy",
         "mushrooms", "path", "woodland", "bark"},
        {"concert", "band", "crowd", "stage", "guitar", "drums", "singer", "lights", "microphone", "speakers", "encore",
         "bass", "audience", "tour", "festival", "amplifier"},
        {"kitchen", "onions", "garlic", "tomato", "sauce", "simmer", "chop", "knife", "pan", "oven", "recipe", "chef",
         "basil", "pasta", "stove", "spices"},
        {"wedding", "bride", "groom", "vows", "rings", "bouquet", "ceremony", "guests", "toast", "dance", "cake",
         "veil", "chapel", "reception", "speech"},
        {"soccer", "goal", "striker", "referee", "penalty", "stadium", "fans", "pitch", "keeper", "corner", "tackle",
         "whistle", "jersey", "league", "match"},
        {"city", "traffic", "street", "skyline", "taxi", "crosswalk", "subway", "neon", "buildings", "rooftop",
         "avenue", "pedestrians", "bus", "downtown", "rush"},
        {"interview", "question", "answer", "studio", "lighting", "guest", "host", "microphone", "chair", "story",
         "memory", "career", "project", "history"},
        {"drone", "aerial", "flyover", "landscape", "mountains", "valley", "river", "ridge", "altitude", "panorama",
         "fields", "sunset", "clouds", "horizon"},
        {"beach", "sand", "surf", "ocean", "sunscreen", "umbrella", "swimmers", "shells", "dunes", "lifeguard",
         "seaside", "palm", "sunbathing", "volleyball"},
        {"snow", "ski", "slope", "lift", "powder", "snowboard", "glacier", "avalanche", "cabin", "frost", "blizzard",
         "chalet", "mountain", "winter", "sled"},
        {"factory", "machine", "assembly", "workers", "conveyor", "welding", "steel", "robot", "warehouse", "forklift",
         "production", "shift", "helmet"},
        {"school", "classroom", "teacher", "students", "lesson", "blackboard", "homework", "exam", "library", "lecture",
         "notebook", "campus", "science"},
        {"market", "vendors", "fruit", "vegetables", "stall", "bargain", "spices", "baskets", "fish", "bread", "cheese",
         "flowers", "crowd", "coins"},
        {"wildlife", "lion", "elephant", "safari", "savanna", "zebra", "giraffe", "herd", "watering", "hole",
         "predator", "binoculars", "ranger", "dust"},
        {"car", "engine", "race", "track", "tires", "pit", "mechanic", "speed", "garage", "exhaust", "driver", "lap",
         "helmet", "steering", "wheel"},
        {"garden", "flowers", "roses", "soil", "seeds", "watering", "bees", "butterflies", "hedge", "greenhouse",
         "tulips", "lawn", "compost", "shovel"},
        {"church", "choir", "organ", "hymn", "candles", "pews", "stained", "glass", "priest", "sermon", "bells",
         "altar", "congregation", "prayer"},
        {"museum", "painting", "sculpture", "gallery", "exhibit", "curator", "visitors", "statue", "canvas", "ancient",
         "artifact", "frame", "tour"},
        {"laboratory", "microscope", "sample", "scientist", "beaker", "experiment", "data", "pipette", "gloves",
         "results", "research", "chemical"},
    };
    return topics;
}

inline const std::vector<std::string>& generalWords() {
    static const std::vector<std::string> words = {
        "the",    "morning", "evening", "light", "people",  "walk",   "talk",  "look",   "around", "slowly", "quickly",
        "today",  "again",   "later",   "then",  "wide",    "close",  "shot",  "camera", "moving", "static", "handheld",
        "bright", "dark",    "quiet",   "loud",  "small",   "large",  "old",   "new",    "red",    "blue",   "green",
        "white",  "black",   "warm",    "cold",  "outside", "inside", "early", "late",   "first",  "last",   "together",
        "alone",  "happy",   "busy",    "calm",  "wind",    "rain",   "sun",   "cloud",  "water",  "stone",  "wood",
        "glass",  "metal",   "paper",   "hand",  "face",    "voice",  "music", "sound",  "step",   "turn",   "open",
        "close",  "begin",   "end",     "small", "big",     "long",   "short",
    };
    return words;
}

}  // namespace bench
