// nf-core-style module: accuracy, ROC-AUC, PR-AUC of pair scores against a label column (tfm-acc).
process TFM_ACC {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container "tfm:0.2.0"   // packaging/Dockerfile; Bioconda's biocontainer once the recipe is in

    input:
    tuple val(meta), path(pairs)

    output:
    tuple val(meta), path("*.acc.tsv"), emit: metrics
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    tfm-acc ${args} ${pairs} > ${prefix}.acc.tsv

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        tfm-acc: \$(tfm-acc --version | head -n 1 | cut -d ' ' -f 2)
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.acc.tsv
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        tfm-acc: \$(tfm-acc --version | head -n 1 | cut -d ' ' -f 2)
    END_VERSIONS
    """
}
