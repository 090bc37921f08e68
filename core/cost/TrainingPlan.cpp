#include "cost/TrainingPlan.h"

#include <QCoreApplication>

namespace vibeml::cost {

QString methodName(Method method)
{
    switch (method) {
    case Method::FullMixed:
        return QStringLiteral("full");
    case Method::FullBf16:
        return QStringLiteral("full-bf16");
    case Method::Lora:
        return QStringLiteral("lora");
    case Method::Qlora8:
        return QStringLiteral("qlora8");
    case Method::Qlora4:
        return QStringLiteral("qlora4");
    }
    return {};
}

QString methodTitle(Method method)
{
    switch (method) {
    case Method::FullMixed:
        return QCoreApplication::translate("TrainingPlan", "Full fine-tune (mixed precision)");
    case Method::FullBf16:
        return QCoreApplication::translate("TrainingPlan", "Full fine-tune (pure bf16)");
    case Method::Lora:
        return QCoreApplication::translate("TrainingPlan", "LoRA (16-bit base)");
    case Method::Qlora8:
        return QCoreApplication::translate("TrainingPlan", "QLoRA 8-bit");
    case Method::Qlora4:
        return QCoreApplication::translate("TrainingPlan", "QLoRA 4-bit");
    }
    return {};
}

std::optional<Method> methodFromName(const QString &name)
{
    for (Method method : {Method::FullMixed, Method::FullBf16, Method::Lora, Method::Qlora8, Method::Qlora4}) {
        if (methodName(method) == name.trimmed().toLower())
            return method;
    }
    return std::nullopt;
}

bool isLora(Method method)
{
    return method == Method::Lora || method == Method::Qlora8 || method == Method::Qlora4;
}

std::optional<QString> trainingStackProblem(const QString &accelerator)
{
    if (accelerator.startsWith(QLatin1String("B200"), Qt::CaseInsensitive)
        || accelerator.startsWith(QLatin1String("B300"), Qt::CaseInsensitive)
        || accelerator.startsWith(QLatin1String("GB200"), Qt::CaseInsensitive))
        return QCoreApplication::translate("TrainingPlan", "VibeML's training stack (torch 2.5.1) has no kernels for %1 "
                                                           "(Blackwell) GPUs yet")
            .arg(accelerator);
    return std::nullopt;
}

QStringList defaultLoraTargets()
{
    return {QStringLiteral("q_proj"),    QStringLiteral("k_proj"),  QStringLiteral("v_proj"),   QStringLiteral("o_proj"),
            QStringLiteral("gate_proj"), QStringLiteral("up_proj"), QStringLiteral("down_proj")};
}

} // namespace vibeml::cost
