/// Facts from the CVSS 4.0 specification and FIRST's reference calculator: the score of every MacroVector
/// and, per equivalence set, the highest-severity vectors of each of its levels. Severity levels are in
/// tenths, as FIRST's calculator measures distances in steps of 0.1.
enum CVSS4Tables {
    /// Marks the MacroVectors that do not exist (EQ3 = 2 with EQ6 = 0).
    private static let gap: Int8 = -1

    /// MacroVector scores in tenths. One row per EQ1 EQ2 EQ3 EQ4 (in the comment); the columns are
    /// EQ5 EQ6 = 00, 01, 10, 11, 20, 21.
    static let macroVectorScores: [Int8] = [
        100,  99,  98,  95,  95,  92,  // 0000
        100,  96,  93,  87,  91,  81,  // 0001
         93,  90,  89,  80,  81,  68,  // 0002
         98,  95,  95,  92,  90,  84,  // 0010
         93,  92,  89,  81,  81,  65,  // 0011
         88,  80,  78,  70,  69,  48,  // 0012
        gap,  92, gap,  82, gap,  72,  // 0020
        gap,  79, gap,  69, gap,  50,  // 0021
        gap,  69, gap,  55, gap,  27,  // 0022
         99,  97,  95,  92,  92,  85,  // 0100
         95,  91,  90,  83,  84,  71,  // 0101
         92,  81,  82,  71,  72,  53,  // 0102
         95,  93,  92,  85,  85,  73,  // 0110
         92,  82,  80,  72,  70,  59,  // 0111
         84,  70,  71,  52,  50,  30,  // 0112
        gap,  86, gap,  75, gap,  52,  // 0120
        gap,  71, gap,  52, gap,  29,  // 0121
        gap,  63, gap,  29, gap,  17,  // 0122
         98,  95,  94,  87,  91,  81,  // 1000
         94,  89,  86,  74,  77,  64,  // 1001
         87,  75,  74,  63,  63,  49,  // 1002
         94,  89,  88,  77,  76,  67,  // 1010
         86,  76,  74,  58,  59,  50,  // 1011
         72,  57,  57,  52,  52,  25,  // 1012
        gap,  83, gap,  70, gap,  54,  // 1020
        gap,  65, gap,  58, gap,  26,  // 1021
        gap,  53, gap,  21, gap,  13,  // 1022
         95,  90,  88,  76,  76,  70,  // 1100
         90,  77,  75,  62,  61,  53,  // 1101
         77,  66,  68,  59,  52,  30,  // 1102
         89,  78,  76,  67,  62,  58,  // 1110
         74,  59,  57,  57,  47,  23,  // 1111
         61,  52,  57,  29,  24,  16,  // 1112
        gap,  71, gap,  59, gap,  30,  // 1120
        gap,  58, gap,  26, gap,  15,  // 1121
        gap,  23, gap,  13, gap,   6,  // 1122
         93,  87,  86,  72,  75,  58,  // 2000
         86,  74,  74,  61,  56,  34,  // 2001
         70,  54,  52,  40,  40,  22,  // 2002
         85,  75,  74,  55,  62,  51,  // 2010
         72,  57,  55,  41,  46,  19,  // 2011
         53,  36,  34,  19,  19,   8,  // 2012
        gap,  64, gap,  51, gap,  20,  // 2020
        gap,  47, gap,  21, gap,  11,  // 2021
        gap,  24, gap,   9, gap,   4,  // 2022
         88,  75,  73,  53,  60,  50,  // 2100
         73,  55,  59,  40,  41,  20,  // 2101
         54,  43,  45,  22,  20,  11,  // 2102
         75,  55,  58,  45,  40,  21,  // 2110
         61,  51,  48,  18,  20,   9,  // 2111
         46,  18,  17,   7,   8,   2,  // 2112
        gap,  53, gap,  24, gap,  14,  // 2120
        gap,  24, gap,  12, gap,   5,  // 2121
        gap,  10, gap,   3, gap,   1,  // 2122
    ]

    /// The score of a MacroVector in tenths, nil for one that does not exist (including levels past the last).
    static func score(_ eq1: Int, _ eq2: Int, _ eq3: Int, _ eq4: Int, _ eq5: Int, _ eq6: Int) -> Int? {
        guard eq1 <= 2, eq2 <= 1, eq3 <= 2, eq4 <= 2, eq5 <= 2, eq6 <= 1 else { return nil }
        let value = macroVectorScores[(((eq1 * 2 + eq2) * 3 + eq3) * 3 + eq4) * 6 + eq5 * 2 + eq6]
        return value == gap ? nil : Int(value)
    }

    // Highest-severity vectors per level, as severity levels of their metrics. Levels: AV N0 A1 L2 P3;
    // PR N0 L1 H2; UI N0 P1 A2; AC L0 H1; AT N0 P1; VC/VI/VA H0 L1 N2; CR/IR/AR H0 M1 L2; SC H1 L2 N3;
    // SI/SA S0 H1 L2 N3.

    /// EQ1 levels 0...2: (AV, PR, UI).
    static let eq1Maxima: [[[Int]]] = [
        [[0, 0, 0]],
        [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
        [[3, 0, 0], [1, 1, 1]],
    ]

    /// EQ2 levels 0...1: (AC, AT).
    static let eq2Maxima: [[[Int]]] = [
        [[0, 0]],
        [[1, 0], [0, 1]],
    ]

    /// EQ3 levels 0...2, then EQ6 levels 0...1: (VC, VI, VA, CR, IR, AR). EQ3 = 2 only occurs with EQ6 = 1.
    static let eq3eq6Maxima: [[[[Int]]]] = [
        [
            [[0, 0, 0, 0, 0, 0]],
            [[0, 0, 1, 1, 1, 0], [0, 0, 0, 1, 1, 1]],
        ],
        [
            [[1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0]],
            [[1, 0, 1, 0, 1, 0], [1, 0, 0, 0, 1, 1], [0, 1, 0, 1, 0, 1], [0, 1, 1, 1, 0, 0], [1, 1, 0, 0, 0, 1]],
        ],
        [
            [],
            [[1, 1, 1, 0, 0, 0]],
        ],
    ]

    /// EQ4 levels 0...2: (SC, SI, SA).
    static let eq4Maxima: [[[Int]]] = [
        [[1, 0, 0]],
        [[1, 1, 1]],
        [[2, 2, 2]],
    ]

    /// The severity distance of a whole level, in tenths: EQ1, EQ2, EQ4 by level; EQ3+EQ6 by EQ3 then EQ6
    /// (EQ3 = 2 with EQ6 = 0 does not exist, hence its 0).
    static let eq1Depth = [1, 4, 5]
    static let eq2Depth = [1, 2]
    static let eq3eq6Depth = [[7, 6], [8, 8], [0, 10]]
    static let eq4Depth = [6, 5, 4]
}
