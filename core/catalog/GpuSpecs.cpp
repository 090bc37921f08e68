#include "catalog/GpuSpecs.h"

namespace vibeml::catalog {

namespace {

// Interconnect figures are the bidirectional per-GPU totals NVIDIA's datasheets quote, so NVLink
// and PCIe numbers compare like for like (PCIe x16: Gen3 32 GB/s, Gen4 64 GB/s, Gen5 128 GB/s).
// Throughput is dense tensor math: the datasheets' headline figures assume 2:4 sparsity, which
// fine-tuning does not use, so each of those is halved.
QList<GpuSpec> buildSpecs()
{
    return {
        // NVIDIA H100 Tensor Core GPU datasheet, H100 SXM column: 80 GB HBM3, BF16 1,979 TFLOPS
        // with sparsity, NVLink 900 GB/s.
        {QStringLiteral("H100"), QStringLiteral("SXM"), 80, 989, true, QStringLiteral("NVLink 4 (900 GB/s)"), 900},
        // Same datasheet, H100 PCIe column: 80 GB HBM2e, BF16 1,513 TFLOPS with sparsity, PCIe Gen5
        // 128 GB/s. Lambda's gpu_1x_h100_pcie is this card, without an NVLink bridge.
        {QStringLiteral("H100"), QStringLiteral("PCIe"), 80, 756, true, QStringLiteral("PCIe 5.0"), 128},
        // NVIDIA H200 Tensor Core GPU datasheet, H200 SXM: 141 GB HBM3e (the catalogs' 144384 MiB),
        // BF16 1,979 TFLOPS with sparsity, NVLink 900 GB/s.
        {QStringLiteral("H200"), QStringLiteral("SXM"), 141, 989, true, QStringLiteral("NVLink 4 (900 GB/s)"), 900},
        // NVIDIA HGX B200 datasheet (HGX B200 8-GPU, per GPU): 180 GB HBM3e as the catalogs list it
        // (184320 MiB), FP16/BF16 4.5 PFLOPS with sparsity, fifth-generation NVLink 1.8 TB/s.
        {QStringLiteral("B200"), QStringLiteral("SXM"), 180, 2250, true, QStringLiteral("NVLink 5 (1800 GB/s)"), 1800},
        // NVIDIA L40S datasheet: 48 GB GDDR6, BF16 362.05 TFLOPS dense (733 with sparsity), PCIe
        // Gen4 x16 64 GB/s, no NVLink.
        {QStringLiteral("L40S"), QString(), 48, 362, true, QStringLiteral("PCIe 4.0"), 64},
        // NVIDIA A100 Tensor Core GPU datasheet, A100 40GB: BF16 312 TFLOPS (624 with sparsity),
        // third-generation NVLink 600 GB/s.
        {QStringLiteral("A100"), QString(), 40, 312, true, QStringLiteral("NVLink 3 (600 GB/s)"), 600},
        // Same datasheet, A100 80GB SXM: 80 GB HBM2e, BF16 312 TFLOPS, NVLink 600 GB/s.
        {QStringLiteral("A100-80GB"), QString(), 80, 312, true, QStringLiteral("NVLink 3 (600 GB/s)"), 600},
        // NVIDIA A10 Tensor Core GPU datasheet: 24 GB GDDR6, BF16 125 TFLOPS (250 with sparsity),
        // PCIe Gen4 64 GB/s.
        {QStringLiteral("A10"), QString(), 24, 125, true, QStringLiteral("PCIe 4.0"), 64},
        // NVIDIA RTX A6000 datasheet: 48 GB GDDR6, tensor performance 309.7 TFLOPS with sparsity
        // (154.8 dense), PCIe Gen4 x16. Its two-card NVLink bridge is not in Lambda's 4-GPU nodes.
        {QStringLiteral("A6000"), QString(), 48, 154.8, true, QStringLiteral("PCIe 4.0"), 64},
        // NVIDIA GH200 Grace Hopper Superchip datasheet: 96 GB HBM3 (the catalogs' 98304 MiB), the
        // H100's BF16 1,979 TFLOPS with sparsity, NVLink-C2C 900 GB/s. That link joins the GPU to its
        // Grace CPU; a GH200 node has a single GPU, so no GPU-to-GPU link is ever used.
        {QStringLiteral("GH200"), QString(), 96, 989, true, QStringLiteral("NVLink-C2C (900 GB/s)"), 900},
        // NVIDIA Quadro RTX 6000 datasheet (Turing): 24 GB GDDR6, tensor performance 130.5 TFLOPS
        // FP16; Turing has no BF16. PCIe 3.0 x16.
        {QStringLiteral("RTX6000"), QString(), 24, 130.5, false, QStringLiteral("PCIe 3.0"), 32},
        // NVIDIA Tesla V100 datasheet, V100 SXM2: 16 GB HBM2 (Lambda's gpu_8x_v100 rows report
        // 16384 MiB), tensor performance 125 TFLOPS FP16; Volta has no BF16. NVLink 300 GB/s.
        {QStringLiteral("V100"), QStringLiteral("SXM2"), 16, 125, false, QStringLiteral("NVLink 2 (300 GB/s)"), 300},
    };
}

} // namespace

const QList<GpuSpec> &allGpuSpecs()
{
    static const QList<GpuSpec> specs = buildSpecs();
    return specs;
}

std::optional<GpuSpec> gpuSpec(const QString &accelerator, const QString &instanceType)
{
    // Catalogs name the same GPU in different cases ("H100" on Lambda and Nebius, "h100" in
    // user-typed settings); only the H100 comes in two forms, told apart by the instance type.
    const bool wantsPcie = instanceType.contains(QLatin1String("pcie"), Qt::CaseInsensitive);
    std::optional<GpuSpec> fallback;
    for (const GpuSpec &spec : allGpuSpecs()) {
        if (spec.name.compare(accelerator, Qt::CaseInsensitive) != 0)
            continue;
        const bool isPcie = spec.variant == QLatin1String("PCIe");
        if (isPcie == wantsPcie)
            return spec;
        if (!fallback)
            fallback = spec;
    }
    return fallback;
}

} // namespace vibeml::catalog
