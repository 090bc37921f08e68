#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace vibeml::catalog {

struct GpuSpec
{
    QString name;           // catalog accelerator name: "H100", "A100-80GB", …
    QString variant;        // "SXM", "PCIe", … ("" when the name is unambiguous)
    double memoryGiB = 0;   // per GPU
    double bf16DenseTflops = 0; // dense (no sparsity) tensor throughput; FP16 where there is no BF16
    bool supportsBf16 = true;
    QString interconnect;   // "NVLink 4 (900 GB/s)", "PCIe 4.0", …
    double interconnectGBps = 0; // GPU-to-GPU bandwidth within a node, per GPU
};

// The spec for an accelerator as a given instance type carries it (Lambda's gpu_1x_h100_pcie is
// the PCIe card, gpu_8x_h100_sxm5 the SXM module).
std::optional<GpuSpec> gpuSpec(const QString &accelerator, const QString &instanceType = QString());
const QList<GpuSpec> &allGpuSpecs();

} // namespace vibeml::catalog
