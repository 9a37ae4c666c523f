"""Vocabulary for synthetic NLI worlds: generic nouns, names, adjectives (with antonyms), verbs,
abilities and relation phrases.

Why hand-written: no WordNet here, and the verifier must learn the *form* of entailment (paraphrase,
negation, open-world silence) over many words, not world knowledge. Places, countries and
geographic relations are left out on purpose so a geography graph stays a fair held-out test.
"""

from __future__ import annotations

NAMES = ["Alice", "Anne", "Bob", "Charlie", "Dave", "Erin", "Fiona", "Gary", "Harry", "Iris", "Jack", "Kate", "Leo", "Mia", "Nina", "Oscar", "Paul", "Quinn", "Rosa", "Sam", "Tom", "Uma", "Vera", "Walt", "Xena", "Yuri", "Zoe", "Hector", "Ingrid", "Marco", "Priya", "Kenji", "Amara", "Lucas", "Elena", "Omar", "Sofia", "Ravi", "Hana", "Felix", "Greta"]

#: Class nouns (singular). Used as generic subjects ("birds", "a bird") and as instances ("the bird").
NOUNS = ["animal", "bird", "fish", "mammal", "reptile", "insect", "dog", "cat", "cow", "horse", "sheep", "goat", "pig", "rabbit", "mouse", "lion", "tiger", "bear", "wolf", "fox", "deer", "eagle", "owl", "penguin", "duck", "chicken", "snake", "lizard", "frog", "turtle", "shark", "whale", "dolphin", "bee", "ant", "spider", "butterfly", "worm", "plant", "tree", "flower", "rose", "tulip", "oak", "pine", "grass", "fruit", "apple", "banana", "orange", "lemon", "grape", "vegetable", "potato", "carrot", "onion", "tomato", "bread", "cheese", "cake", "soup", "rice", "tool", "hammer", "knife", "spoon", "fork", "cup", "bowl", "plate", "chair", "table", "bed", "lamp", "door", "window", "car", "bus", "truck", "bicycle", "boat", "train", "plane", "rocket", "machine", "computer", "phone", "robot", "book", "letter", "song", "painting", "toy", "ball", "kite", "doll", "drum", "guitar", "piano", "violin", "coat", "shirt", "shoe", "hat", "glove", "ring", "coin", "key", "box", "bag", "bottle", "candle", "rock", "stone", "metal", "iron", "gold", "silver", "glass", "wood", "paper", "plastic", "water", "milk", "juice", "tea", "coffee", "ice", "snow", "cloud", "storm", "rain", "wind", "fire", "star", "planet", "moon", "person", "child", "teacher", "doctor", "farmer", "baker", "artist", "soldier", "pilot", "nurse", "student", "king", "queen"]

#: Adjectives used as attributes ("Bob is cold"); pairs are antonyms (one excludes the other).
ANTONYMS = (
    ("big", "small"), ("hot", "cold"), ("young", "old"), ("wet", "dry"), ("fast", "slow"),
    ("heavy", "light"), ("tall", "short"), ("alive", "dead"), ("happy", "sad"), ("rough", "smooth"),
    ("quiet", "loud"), ("hard", "soft"), ("full", "empty"), ("clean", "dirty"), ("safe", "dangerous"),
    ("strong", "weak"), ("rich", "poor"), ("open", "closed"), ("awake", "asleep"), ("sweet", "sour"),
    ("visible", "invisible"), ("edible", "inedible"), ("wild", "tame"), ("kind", "cruel"),
    ("cheap", "expensive"), ("bright", "dark"), ("thick", "thin"), ("brave", "afraid"),
)
OTHER_ADJECTIVES = ["red", "blue", "green", "white", "black", "yellow", "purple", "furry", "round", "nice", "smart", "fluffy", "shiny", "wooden", "metallic", "striped", "spotted", "hungry", "sleepy", "curious", "friendly", "noisy", "famous", "ancient", "modern", "fragile", "colourful", "poisonous", "rare", "common", "useful", "tiny", "huge", "square", "sharp"]

#: Transitive verbs (lemma) for "X <verb>s Y".
VERBS = ["chase", "eat", "like", "need", "see", "visit", "love", "hate", "help", "follow", "fear", "avoid", "carry", "build", "find", "hold", "know", "watch", "feed", "push", "pull", "catch", "protect", "admire", "trust", "blame", "teach", "call", "meet", "hug", "bite", "attack"]
MULTIWORD_VERBS = ("live in", "belong to", "depend on", "look at", "care for", "run from",
                   "live with", "play with", "hide from", "work with")

#: Abilities for "X can <ability>".
ABILITIES = (
    "fly", "swim", "run", "jump", "climb trees", "sing", "talk", "read", "lay eggs", "breathe underwater",
    "see in the dark", "dig holes", "carry heavy loads", "be eaten raw", "grow in the shade",
    "float on water", "cut paper", "store data", "hold water", "make honey", "spin webs", "bark",
    "purr", "be recycled", "burn", "melt", "produce milk", "live for years", "change colour",
    "survive winter", "be used as a weapon", "play music", "move quickly", "open doors",
)

#: Relation phrases starting with an auxiliary: "X is part of Y", "X has Y".
RELATIONS = (
    "is part of", "is made of", "is used for", "is afraid of", "is a friend of", "is an enemy of",
    "is the parent of", "is the child of", "is bigger than", "is smaller than", "is faster than",
    "is older than", "is related to", "is similar to", "is owned by", "is next to", "is inside",
    "is covered in", "is full of", "is allergic to", "is married to", "is taller than",
    "has", "has part", "has a taste of",
)
