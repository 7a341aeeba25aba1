/// Reed–Solomon error-correction codewords over GF(2⁸), as QR codes use them
/// (ISO/IEC 18004 §7.5.2): field polynomial x⁸+x⁴+x³+x²+1 (0x11D), generator
/// polynomial ∏(x − αⁱ) for i in 0..<n, with α = 2.
enum ReedSolomon {
    /// `exponents[i]` is αⁱ; doubled in length so a product's exponent sum needs no modulo.
    private static let exponents: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for power in 0..<255 {
            table[power] = UInt8(value)
            table[power + 255] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return table
    }()

    /// `logarithms[v]` is the i with αⁱ = v (undefined for 0, never looked up).
    private static let logarithms: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for power in 0..<255 {
            table[Int(exponents[power])] = power
        }
        return table
    }()

    static func multiply(_ lhs: UInt8, _ rhs: UInt8) -> UInt8 {
        if lhs == 0 || rhs == 0 { return 0 }
        return exponents[logarithms[Int(lhs)] + logarithms[Int(rhs)]]
    }

    /// Coefficients of the monic generator polynomial of degree `degree`, highest power
    /// first, leading 1 omitted.
    static func generatorPolynomial(degree: Int) -> [UInt8] {
        var coefficients: [UInt8] = [1]
        for root in 0..<degree {
            // Multiply by (x + αʳᵒᵒᵗ); in GF(2⁸) subtraction is addition.
            var product = coefficients + [0]
            for index in coefficients.indices {
                product[index + 1] ^= multiply(coefficients[index], exponents[root])
            }
            coefficients = product
        }
        return Array(coefficients.dropFirst())
    }

    /// The remainder of data(x)·xⁿ divided by the generator polynomial: the n
    /// error-correction codewords appended to a block.
    static func errorCorrectionCodewords(for data: [UInt8], count: Int) -> [UInt8] {
        let generator = generatorPolynomial(degree: count)
        var remainder = [UInt8](repeating: 0, count: count)
        for byte in data {
            let factor = byte ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            for index in 0..<count {
                remainder[index] ^= multiply(generator[index], factor)
            }
        }
        return remainder
    }
}
