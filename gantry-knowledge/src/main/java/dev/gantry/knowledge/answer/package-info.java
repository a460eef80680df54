/**
 * The generation step of retrieval-augmented answers: the {@link dev.gantry.knowledge.answer.AnswerModel} a
 * language model implements, {@link dev.gantry.knowledge.answer.AnswerPrompt} (numbered sources that fit the
 * model's context budget) and {@link dev.gantry.knowledge.answer.CitationMarkers} (which {@code [n]} the answer
 * cites).
 */
package dev.gantry.knowledge.answer;
